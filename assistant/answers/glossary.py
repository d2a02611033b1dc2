"""The domain glossary (``knowledge/glossary.toml``): what staff write, and what it means.

A ``Term`` maps the forms people type ("VPs", "creds", « CP ») to the words the documents
use, in English and French; a ``Body`` is another organ or treaty (the General Assembly,
UNCAC's Conference…) whose own procedure the knowledge base does not cover; ``shorthand`` is
chat spelling read as the words it stands for, in one language (« qd » is « quand »).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from assistant.corpus.text import fold
from assistant.errors import UsageError

GLOSSARY_FILE = "glossary.toml"
SHORT_CAPITALS = re.compile(r"[A-Z]{1,4}s?")
INFLECTION = r"(?:s|es|ed|d|ing)?"
# « conservent-ils leurs fonctions », « peut-on », « a-t-elle »; not "follow-on"
INVERSION = re.compile(r"(?:(?<=[td])-|-t-)(?:ils?|elles?|on)\b", re.IGNORECASE)
ALONE = r"(?<![\w'/.-]){}(?![\w'/-]|\.\w)"  # a word alone: not the "ac" of « d'ac », nor the "u" of "u.s."
SHORT_WORD = re.compile(ALONE.format(r"[A-Za-z0-9/]+"))


@dataclass(frozen=True)
class Term:
    forms: tuple[str, ...]
    en: str
    fr: str
    pattern: re.Pattern[str]
    exact: re.Pattern[str] | None  # forms of up to four capitals: matched with their case
    own_conference: bool = False  # a treaty body with a "COP" of its own: "COP" then means its COP
    working_group: bool = False  # one of the COP's working groups

    def found_in(self, folded: str, folded_lower: str) -> tuple[int, int] | None:
        """Where a form of the term is first found in the (folded) text, or None."""
        return next(iter(self.spans(folded, folded_lower)), None)

    def spans(self, folded: str, folded_lower: str) -> list[tuple[int, int]]:
        """Every place a form of the term is in the (folded) text (case-free forms first)."""
        found = [m.span() for m in self.pattern.finditer(folded_lower)] if self.pattern.pattern else []
        return found + ([m.span() for m in self.exact.finditer(folded)] if self.exact is not None else [])


Body = Term  # another body; its ``en``/``fr`` name it in a sentence ("the General Assembly")

class Glossary:
    """Terms and bodies, matched against questions (accents ignored), and chat shorthand."""

    def __init__(self, terms: list[Term], bodies: list[Body], shorthand: dict[str, dict[str, str]] | None = None,
                 ) -> None:
        self.terms = terms
        self.bodies = bodies
        self.shorthand = shorthand or {}  # {language or "any": {typed: meant}}

    @classmethod
    def load(cls, knowledge_dir: Path) -> Glossary:
        """The glossary beside the manifest; an empty one when there is none."""
        path = knowledge_dir / GLOSSARY_FILE
        if not path.exists():
            return cls([], [])
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            terms = [_entry(raw) for raw in data.get("term", [])]
            bodies = [_entry(raw, numbered=True) for raw in data.get("body", [])]
            shorthand = _shorthand(data.get("shorthand", {}))
        except (tomllib.TOMLDecodeError, KeyError, TypeError, re.error) as exc:
            raise UsageError(f"{path} is not a valid glossary ({type(exc).__name__}: {exc}); each "
                             "[[term]] and [[body]] needs forms = [...], en = \"...\" and fr = \"...\"; "
                             "[shorthand.<language>] holds typed = \"meant\" pairs") from None
        return cls(terms, bodies, shorthand)

    def shorthand_in(self, question: str, lang: str) -> dict[str, str]:
        """``{typed: meant}`` for the chat spellings of ``lang`` (or of any language) in the question,
        typed in lower case or capitalised ("Qd", not "PR"); "" drops a word."""
        table = self.shorthand.get("any", {}) | self.shorthand.get(lang, {})
        return {word: table[word.lower()] for word in SHORT_WORD.findall(question)
                if word.lower() in table and (word.islower() or word[1:].islower() or len(word) == 1)}

    def terms_in(self, question: str) -> list[tuple[str, Term]]:
        """(form as written, term) for each term the question uses, except inside a longer term:
        in "FM protocol" (the Firearms Protocol) "FM" is not the Foreign Minister."""
        return _outside(_matches(self.terms, question), self.terms, question)

    def bodies_in(self, question: str) -> list[tuple[str, Body]]:
        """(form as written, body) for each other body the question names, except inside a
        term that contains its name: "NGOs with ECOSOC status" asks about NGOs, not ECOSOC."""
        return _outside(_matches(self.bodies, question), self.terms, question)


def read_shorthand(text: str, shorthand: dict[str, str]) -> str:
    """``text`` with each shorthand word (as ``shorthand_in`` found it) replaced by what it means."""
    for typed, meant in shorthand.items():
        text = re.sub(ALONE.format(re.escape(typed)), meant.replace("\\", "\\\\"), text)
    return text


def _shorthand(tables: object) -> dict[str, dict[str, str]]:
    """The shorthand tables, checked: per language, lower-case words each standing for words."""
    if not isinstance(tables, dict) or not all(isinstance(table, dict) for table in tables.values()):
        raise TypeError("shorthand must be tables: [shorthand.fr], [shorthand.en], [shorthand.any]")
    for lang, table in tables.items():
        for typed, meant in table.items():
            if not isinstance(meant, str) or typed != typed.lower() or not SHORT_WORD.fullmatch(typed):
                raise TypeError(f"[shorthand.{lang}] {typed!r}: a lower-case word, standing for a string")
    return tables


def body_named(name: str) -> Body:
    """A body the glossary does not list, known by the name a question gives it."""
    return _entry({"forms": [name], "en": f"the {name}", "fr": f"« {name} »"})


def _outside(found: list[tuple[str, Term]], others: Sequence[Term], question: str) -> list[tuple[str, Term]]:
    """The matches that occur somewhere outside every longer match of ``others``."""
    folded = _without_inversion(fold(question))
    lower = folded.lower()
    longer = [(other, span) for other in others for span in other.spans(folded, lower)]

    def free(entry: Term, start: int, end: int) -> bool:
        return not any(other is not entry and a <= start and end <= b and b - a > end - start
                       for other, (a, b) in longer)

    return [(form, entry) for form, entry in found
            if any(free(entry, start, end) for start, end in entry.spans(folded, lower))]


def _matches(entries: Sequence[Term], question: str) -> list[tuple[str, Term]]:
    folded = _without_inversion(fold(question))
    lower = folded.lower()
    shown = question if len(question) == len(folded) else folded  # spans index the typed text
    found = []
    for entry in entries:
        span = entry.found_in(folded, lower)
        if span:
            found.append((shown[span[0]:span[1]], entry))
    return found


def _entry(raw: dict, numbered: bool = False) -> Term:
    """A glossary entry; ``numbered``: its forms also match with a session number ("COSP10")."""
    forms = tuple(str(form) for form in raw["forms"])
    loose = [f for f in forms if not SHORT_CAPITALS.fullmatch(f)]
    exact = [f for f in forms if SHORT_CAPITALS.fullmatch(f)]
    return Term(forms=forms, en=str(raw["en"]), fr=str(raw["fr"]),
                pattern=_alternation([fold(f).lower() for f in loose], re.IGNORECASE, numbered),
                exact=_alternation([fold(f) for f in exact], 0, numbered) if exact else None,
                own_conference=bool(raw.get("own_conference", False)),
                working_group=bool(raw.get("working_group", False)))


def _without_inversion(text: str) -> str:
    """The text with French inverted subjects blanked out, lengths kept (« conservent-ils leurs
    fonctions » holds the form « conservent leurs fonctions »)."""
    return INVERSION.sub(lambda match: " " * len(match.group()), text)


def _alternation(forms: list[str], flags: int, numbered: bool = False) -> re.Pattern[str]:
    """Whole words, any of the forms, longest first; spaces and hyphens interchangeable; the words
    of a case-free form of several words may take an English ending ("pulls out", "kicked off")."""
    if not forms:
        return re.compile("")
    alts = sorted({_inflected(f) if flags & re.IGNORECASE else re.escape(f) for f in forms}, key=len, reverse=True)
    alts = [re.sub(r"\\[ \-]", r"[\\s\\-]+", alt) for alt in alts]
    end = r"(?:\d{1,2})?(?![\w/])" if numbered else r"(?![\w/])"
    return re.compile(r"(?<![\w/])(?:" + "|".join(alts) + r")s?" + end, flags)


def _inflected(form: str) -> str:
    """A form of several words whose words of three letters or more may take -s, -es, -ed, -d or
    -ing; a single word stays as written ("attend" is not "attended", "cop" not "coping")."""
    parts = re.split(r"([ \-])", form)
    if len(parts) == 1:
        return re.escape(form)
    return "".join(re.escape(part) + (INFLECTION if re.fullmatch(r"[a-z]{3,}", part) else "") for part in parts)

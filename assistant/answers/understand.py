"""What a question was understood as: chat shorthand read, typos corrected, glossary terms and references found.

The keyword search gets the question plus the documents' words for each glossary term, in
both languages; the dense search gets the question (shorthand read, typos corrected) plus those
words in the question's language. ``expanded`` is what ``ask --json`` shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.answers.glossary import Body, Glossary, Term, read_shorthand
from assistant.answers.references import Key, cop_sessions, describe, protocol_articles, question_references
from assistant.answers.spelling import Speller, is_common_word
from assistant.answers.unlisted import unlisted_bodies
from assistant.corpus.text import fold
from assistant.index.keyword import word_stems

# "…send written views, same as IGOs?", « … comme les OIG ? »: what the question compares with, closing it (not
# "is the Bureau the same as…?", « comme le prévoit l'article 17 ? »)
COMPARED = re.compile(r"(?:[,?;—-]\s*(?:same as|as with|as for|just like|pareil que)|"
                      r"\bcomme (?:les?|la|l'|pour|aux?|des|dans)"
                      r"(?!\s*(?:pr[eé]voi|exig|di[ts]|indiqu|pr[eé]cis|stipul|veut))|"
                      r"\b[aà] l'instar d\w*)\b"
                      r"(?P<what>[^?,;]{0,40})\?*\s*$", re.IGNORECASE)
NAMES_A_GROUP = re.compile(r"\b(?:wg|gt|working group|groupe de travail)\b", re.IGNORECASE)
NAMES_THE_COP = re.compile(r"\b(?:(?:cop|cp|cdp)(?:\d|\b)|conf[eé]rence\b)", re.IGNORECASE)  # not « GT … 7e session »


@dataclass
class Understanding:
    question: str
    lang: str
    shorthand: dict[str, str] = field(default_factory=dict)  # chat spellings read as words: « qd » quand
    corrected: dict[str, str] = field(default_factory=dict)  # typos
    terms: list[tuple[str, Term]] = field(default_factory=list)  # (form as typed, term)
    unfamiliar: set[str] = field(default_factory=set)  # forms the documents never use ("VPs")
    bodies: list[tuple[str, Body]] = field(default_factory=list)
    references: list[Key] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The question with its shorthand read and its typos corrected."""
        text = read_shorthand(self.question, self.shorthand)
        for typed, right in self.corrected.items():  # whole words, also after « l' » or in "vice-presidnet"
            text = re.sub(rf"(?<!\w){re.escape(typed)}(?!\w)", right.replace("\\", "\\\\"), text)
        return re.sub(r"\s{2,}", " ", text).strip() if self.shorthand else text  # a dropped word leaves no gap

    @property
    def keyword_text(self) -> str:
        """For the keyword search: forms the documents never use, in the documents' words.

        Adding "Conference of the Parties" to every question that says "COP" only dilutes it.
        """
        return " ".join([self.text] + [f"{t.en} {t.fr}" for form, t in self.terms + self.bodies
                                       if form in self.unfamiliar])

    @property
    def compared(self) -> frozenset[str]:
        """The stems of what the question compares with, at its end: the standard, not what is asked about."""
        text = fold(self.text).replace("’", "'")
        match = COMPARED.search(text)
        if match is None:
            return frozenset()
        asked = frozenset().union(*word_stems(text[:match.start()]))  # "NGOs …, same as IGOs": "organization" asked
        return frozenset().union(*word_stems(match.group("what"))) - asked

    def sentence_text(self, lacking: frozenset[str] = frozenset()) -> str:
        """For choosing sentences within the passages found: every term in the documents' words,
        except terms for what the subject lacks (stems: "without ECOSOC status"), and sessions as
        the documents name them ("the tenth session": COP10)."""
        return " ".join([self.text] + [f"{t.en} {t.fr}" for form, t in self.terms + self.bodies
                                       if not all(stems & lacking for stems in word_stems(form))]
                        + [f"COP{key[1]} CP{key[1]}" for key in self.references
                           if key[0] == "session" and NAMES_THE_COP.search(self.text)])

    @property
    def dense_text(self) -> str:
        words = [t.fr if self.lang == "fr" else t.en for form, t in self.terms if form in self.unfamiliar]
        added = [w for w in dict.fromkeys(words) if w.lower() not in self.text.lower()]
        return self.text + (f" ({'; '.join(added)})" if added else "")

    def expanded(self) -> dict:
        """What was understood, for people reading ``--json``."""
        return {
            "corrected": self.shorthand | self.corrected,
            "terms": {form: f"{term.en} / {term.fr}" for form, term in self.terms},
            "references": [describe(key) for key in self.references],
            "other_bodies": [body.en for _, body in self.bodies],
        }


def working_groups(understood: Understanding) -> list[Term]:
    """The COP's working groups the question names as groups ("SOM WG", « GT traite »; not "intl coop" alone,
    which may be the topic), not working groups in general."""
    return [term for form, term in understood.terms if term.working_group and NAMES_A_GROUP.search(form)]


def understand(question: str, lang: str, glossary: Glossary, speller: Speller | None) -> Understanding:
    """Read chat shorthand and correct typos, then find glossary terms, other bodies and explicit references (a session
    not named "COPn" is the other body's or working group's, when the question names one: « la CEP … sa 11e session »,
    "SOM WG 7th session"; an article given as a Protocol's is not the Convention's: "SOM protocol art 3(a)")."""
    result = Understanding(question, lang)
    result.shorthand = glossary.shorthand_in(question, lang)
    if speller is not None:
        result.corrected = {typed: right for typed, right in speller.corrections(question).items()
                            if typed not in result.shorthand}
    text = result.text
    result.terms = glossary.terms_in(text)
    result.bodies = glossary.bodies_in(text)
    result.unfamiliar = {form for form, _ in result.terms + result.bodies
                         if speller is None or not speller.in_documents(form)}
    if not result.bodies and speller is not None:
        result.bodies = unlisted_bodies(text, speller.in_documents, is_common_word)
    owner = bool(result.bodies or working_groups(result))  # "SOM WG 7th session": the group's, not COP7
    theirs = protocol_articles(text, [form for form, term in result.terms if term.en.endswith(" Protocol")])
    result.references = [key for key in question_references(text) if key not in theirs
                         and (key[0] != "session" or not owner or key[1] in cop_sessions(text))]
    return result

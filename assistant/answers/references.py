"""Explicit references in a question — "rule 41", « article 41 du règlement », "art. 32(3)",
"res 9/1", "decision 4/4", "COP10", « onzième session » — and the provisions they name.

A reference is a key such as ``("rule", "41")``, ``("article", "32", "3")``,
``("symbol", "9/1")`` or ``("session", "10")``; chunks get the same keys from their
locators and headings, so matching is a set lookup.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.corpus.numbers import ORDINALS
from assistant.corpus.text import fold

if TYPE_CHECKING:
    from assistant.corpus.chunks import Chunk

Key = tuple[str, ...]

_NUM = r"(\d{1,3})(?:\s*\(\s*(\d{1,2})\s*\))?(?:\s*,?\s*(?:para(?:graph|graphe)?s?\.?|par\.?|§)\s*(\d{1,2}))?"
RULE = re.compile(r"(?<![/.])\b(?:rules?|r[eè]gles?|rg|r(?=\.))\s*\.?\s*(?:n[o°]\.?\s*)?" + _NUM,  # "r. 58"
                  re.IGNORECASE)
ARTICLE = re.compile(r"\b(?:articles?|arts?)\s*\.?\s*(?:n[o°]\.?\s*)?" + _NUM, re.IGNORECASE)
OF_THE_RULES = re.compile(r"^\W{0,3}(?:\w+\W+){0,2}(?:du|of the|des|of)?\s*(?:r[eè]glement|rules of procedure|"
                          r"\bri\b|\brop\b|\brp\b)", re.IGNORECASE)
RULES_BEFORE = re.compile(r"(?:r[eè]glement(?: int[eé]rieur)?|rules of procedure|\bri|\brop|\brp)\W{0,3}$",
                          re.IGNORECASE)  # « RI art 55 », "RoP art. 41"
OF_THE_CONVENTION = re.compile(r"^\W{0,3}(?:of the|de la) convention", re.IGNORECASE)
# "mechanisms the COP establishes under article 32", « qu'elle crée en vertu de l'article 32 »: the legal basis of
# what is asked about, not the provision asked about
BASIS = re.compile(r"\b(?:establish\w*|creat\w*|sets? up|cr[eé][eé]\w*|[eé]tabli\w*|institu\w*)\s+"
                   r"(?:under|pursuant to|in accordance with|en vertu d[eu]|au titre d[eu]|conform[eé]ment [aà])\s+"
                   r"(?:l['’]|the\s+)?$",
                   re.IGNORECASE)
SYMBOL = re.compile(r"(?:\b(res|resolution|r[eé]solution|dec|decision|d[eé]cision)\s*\.?\s*)?\b(\d{1,2}/\d{1,2})\b",
                    re.IGNORECASE)
COP_SESSION = r"\b(?:cop|cp|cdp)\s*-?\s*(\d{1,2})\b"  # "COP10", « CP 11 »: no other body's session
SESSION = re.compile(COP_SESSION + r"|\b(\d{1,2})\s*(?:st|nd|rd|th|e|eme|ème|ere|re)\s+(?:session|cop|cp)\b",
                     re.IGNORECASE)
OF_THE_COP = re.compile(r"\s*(?:of the|of|de la|du)\s+(?:cop|cp|cdp|conf[eé]rence)\b"  # not "… of the States Parties"
                        r"(?!\s+(?:of\s+(?:the\s+)?states|des\s+[eé]tats))", re.IGNORECASE)
ORDINAL_SESSION = re.compile(r"\b([a-zéèû]+)\s+(?:session|cop|cp)\b", re.IGNORECASE)
# "which was the first COP held in hybrid format?", « quelle a été la première session… tenue… »: the session asked
WHICH_ONE = re.compile(r"\b(?:which|what)\s+(?:was|were|is|will be)\s+(?:the\s+)?(?:very\s+)?$|"
                       r"\bquel(?:le)?s?\s+(?:a été|a ete|est|était|etait|fut)\s+(?:la\s+|le\s+)?(?:toute\s+)?$",
                       re.IGNORECASE)
DESCRIBED = re.compile(r"^\s*(?:(?:of the|de la)\s+(?:cop|cp|cdp|conf[eé]rence(?:\s+(?:of the|des)\s+parties)?)\s+)?"
                       r"(?:ever\s+)?(?:to|that|which|where|held|done|conducted|organi[sz]ed|with|in|after|following|"
                       r"outside|since|tenue?|organis[eé]e|qui|où|avec|en|apr[eè]s|hors)\b", re.IGNORECASE)
OF_A_PROTOCOL = re.compile(r"^\W{0,4}(?:\w\W{1,3})?(?:of the|of this|of|du|de ce|de l'|au)\s+"
                           r"(?:(?!convention|untoc|cto|palerm\w*|and|or|et|ou)\w+\s+){0,3}?protocol",
                           re.IGNORECASE)  # "art 5 of the TIP Protocol", « art 3 a) du protocole »
NAMES_A_PROTOCOL = re.compile(r"\bprotocol|^[A-Z]{2,5}$")  # "SOM protocol", "TIP"; not "human trafficking"
OF_THE_RULES_ANYWHERE = re.compile(r"\b(?:du|of the|des|of)?\s*(?:r[eè]glement(?: int[eé]rieur)?|rules of procedure|"
                                   r"ri|rop|rp)\b", re.IGNORECASE)
FILLER = re.compile(r"\b(?:what|does|do|did|say|says|said|is|about|abt|the|of|show|text|full|que|dit|qu|quoi|"
                    r"le|la|les|de|du|texte|voir|cop|cp|cdp|please|pls|svp|where|when|ou|où|quand|it|il|"
                    r"c'?est|etait|était|[cldj])\b|[^\w\s]", re.IGNORECASE)
YEAR = re.compile(r"(?<!/)\b(?:19|20)\d\d\b(?!/)")  # not in a document symbol: CTOC/COP/2020/10
# "115 Parties at the ninth session of the COP and 119 at the tenth (October 2020)": a session named by ordinal alone
ELLIPTIC_SESSION = re.compile(r"\b(?:at the|and the|a la|à la|et la)\s+([a-zéèû]+)(?=\s*[(,;.]|\s*$)", re.IGNORECASE)
# "before 2018", « depuis la CP5 »: a bound of the time asked about, not that time
BOUND = re.compile(r"\b(?:(?:before|after|since|until|prior to|avant|apres|après|depuis|jusqu['’](?:en|a|à|au))\s+"
                   r"(?:the |la |le |l')?(?:(?:19|20)\d\d|(?:cop|cp|cdp)\s*-?\s*\d{1,2})|"
                   r"(?:between|entre)\s+(?:19|20)\d\d\s+(?:and|et)\s+(?:19|20)\d\d)\b", re.IGNORECASE)
HEADING_SYMBOL = re.compile(r"\b(?:decision|décision|resolution|résolution)s?\s+(\d{1,2}/\d{1,2})", re.IGNORECASE)
LOCATOR_KEYS = [
    (re.compile(r"^rule-(\d+)(?:-para-(\d+))?"), "rule"),
    (re.compile(r"^art-(\d+)(?:-para-(\d+))?"), "article"),
    (re.compile(r"^cop-(\d+)$"), "session"),
]
RES_LOCATOR = re.compile(r"^res-(\d+)-(\d+)")


def question_references(question: str) -> list[Key]:
    """The references a question makes, in the order it makes them (no duplicates)."""
    found: list[tuple[int, Key]] = []
    for match in RULE.finditer(question):
        if not BASIS.search(question[:match.start()]):
            found.append((match.start(), _key("rule", match)))
    for match in ARTICLE.finditer(question):
        if BASIS.search(question[:match.start()]):
            continue
        after, before = question[match.end():match.end() + 40], question[max(0, match.start() - 25):match.start()]
        rules = OF_THE_RULES.search(after) or RULES_BEFORE.search(before) and not OF_THE_CONVENTION.search(after)
        kind = "rule" if rules else "article"
        found.append((match.start(), _key(kind, match)))
    for match in SYMBOL.finditer(question):
        found.append((match.start(), ("symbol", match.group(2))))
    for match in SESSION.finditer(question):
        found.append((match.start(), ("session", match.group(1) or match.group(2))))
    for match in ORDINAL_SESSION.finditer(question):
        number = _ordinal(match.group(1))
        if number and not _which_one(question, match):
            found.append((match.start(), ("session", str(number))))
    keys = [key for _, key in sorted(found)]
    return list(dict.fromkeys(keys))


def protocol_articles(question: str, protocols: list[str]) -> set[Key]:
    """The articles the question gives as a Protocol's: named just after the Protocol ("SOM protocol art 3(a)",
    « la déf du trafic illicite de migrants (art 3 a) ») or followed by it ("art 5 of the TIP Protocol",
    « art 3 du protocole »), not the Convention's."""
    found = set()
    for match in ARTICLE.finditer(question):
        typed = question[:match.start()].rstrip(" :,-—")
        bracketed = typed.endswith("(")  # « trafic illicite de migrants (art 3 a) »: the topic's own article
        before = fold(typed.rstrip(" (")).lower()
        named = [form for form in protocols if bracketed or NAMES_A_PROTOCOL.search(form)]
        if any(before.endswith(fold(form).lower()) for form in named) or OF_A_PROTOCOL.match(question[match.end():]):
            found.add(_key("article", match))
    return found


def _which_one(question: str, match: re.Match[str]) -> bool:
    """Whether the question asks which session was the first (…) one described: it names none."""
    return bool(WHICH_ONE.search(question[:match.start()]) and DESCRIBED.match(question[match.end():]))


def cop_sessions(question: str) -> set[str]:
    """The numbers of the COP sessions the question names as such ("COP13", "the thirteenth session of
    the COP", « la 13e CP »; not « 13e session du GT »)."""
    found = set(re.findall(COP_SESSION, question, re.IGNORECASE))
    for match in SESSION.finditer(question):
        if match.group(2) and _of_the_cop(question, match):
            found.add(match.group(2))
    for match in ORDINAL_SESSION.finditer(question):
        number = _ordinal(match.group(1))
        if number and _of_the_cop(question, match) and not _which_one(question, match):
            found.add(str(number))
    return found


def times_named(text: str) -> tuple[set[str], set[str]]:
    """The COP sessions and the years ``text`` names; not a first session ("the first COP held in hybrid
    format" describes one)."""
    sessions = cop_sessions(text)
    if sessions:  # "…at the ninth session of the COP and 119 at the tenth": the COP's too
        sessions |= {str(number) for number in map(_ordinal, ELLIPTIC_SESSION.findall(text)) if number}
    return sessions - {"1"}, set(YEAR.findall(text))


def another_time(question: str, texts: list[str]) -> tuple[str, str] | None:
    """The session or year the question asks about when ``texts`` name only other sessions or years ("parties
    at COP11?": "115 Parties at the ninth session and 119 at the tenth"): ("session", "11") or ("year", "2024")."""
    asked_sessions, asked_years = times_named(BOUND.sub(" ", question))
    sessions, years = times_named(" ".join(texts))
    if asked_sessions & sessions or asked_years & years:
        return None
    if asked_sessions and sessions:
        return ("session", min(asked_sessions, key=int))
    if asked_years and years:
        return ("year", min(asked_years))
    return None


def _of_the_cop(question: str, match: re.Match[str]) -> bool:
    """Whether a numbered session is the COP's: "13th COP", or "session" followed by "of the COP"."""
    return not match.group().lower().endswith("session") or bool(OF_THE_COP.match(question[match.end():]))


def is_bare_reference(question: str) -> bool:
    """Whether the question only names provisions ("rule 41", "res 9/1?", « CP10 ») and asks
    nothing more of them: then the provision itself is the answer."""
    if not question_references(question):
        return False
    rest = question
    for pattern in (RULE, ARTICLE, SYMBOL, SESSION, ORDINAL_SESSION, OF_THE_RULES_ANYWHERE, FILLER):
        rest = pattern.sub(" ", rest)
    return not re.search(r"\w", rest)


def chunk_keys(chunk: Chunk) -> set[Key]:
    """The references a chunk answers to, from its locator and heading."""
    keys: set[Key] = set()
    for pattern, kind in LOCATOR_KEYS:
        match = pattern.match(chunk.locator)
        if match:
            keys.add((kind, match.group(1)))
            if match.lastindex and match.lastindex > 1 and match.group(2):
                keys.add((kind, match.group(1), match.group(2)))
    res = RES_LOCATOR.match(chunk.locator)
    if res:
        keys.add(("symbol", f"{res.group(1)}/{res.group(2)}"))
    keys.update(("symbol", symbol) for symbol in HEADING_SYMBOL.findall(chunk.heading.split("—")[0]))
    return keys


def describe(key: Key) -> str:
    """``rule 41``, ``article 32(3)``, ``9/1``, ``session 10``."""
    text = f"{key[0]} {key[1]}" if key[0] != "symbol" else key[1]
    return text + (f"({key[2]})" if len(key) > 2 else "")


def named(key: Key, lang: str) -> str:
    """A provision as a reader names it: ``COP13``, ``rule 99`` / « la CP13 », « l'article 99 du règlement »."""
    number = key[1] + (f"({key[2]})" if len(key) > 2 else "")
    if lang == "fr":
        return {"session": f"la CP{number}", "year": f"l'année {number}", "article": f"l'article {number}",
                "rule": f"l'article {number} du règlement intérieur"}.get(key[0], number)
    return {"session": f"COP{number}", "rule": f"rule {number}", "article": f"article {number}"}.get(key[0], number)


def _ordinal(word: str) -> int | None:
    """« onzième », "eleventh" → 11."""
    return ORDINALS.get(word.lower()) or ORDINALS.get(fold(word.lower()))


def _key(kind: str, match: re.Match[str]) -> Key:
    number, para = match.group(1), match.group(2) or match.group(3)
    return (kind, number, para) if para else (kind, number)

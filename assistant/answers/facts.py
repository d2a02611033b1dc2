"""Checkable facts of a text in normal form, for the citation guard.

Numbers (digits or English / French words, cardinal or ordinal), fractions, durations,
dates, provision references (rule, article, paragraph, resolution, decision, annex, with
lists and ranges) and document symbols become strings such as ``num:30``, ``frac:1/3``,
``dur:30-day``, ``date:28-6``, ``rule:41`` or ``sym:CTOC/COP/2018/13``, so that "thirty
days", "30 days" and "trente jours" compare equal. Pure: no model, no I/O.
"""

from __future__ import annotations

import re

from assistant.corpus.numbers import CARDINALS, ORDINALS

FRENCH_RULES = re.compile(r"règlement intérieur", re.IGNORECASE)
URL = re.compile(r"https?://\S+")
SYMBOL = re.compile(r"\b[A-Z][A-Z0-9.]*(?:/[A-Za-z0-9.]*[A-Z0-9])+")
TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:[./]\d+)*|[^\W\d_]+")

PROVISION_TYPES = {
    "rule": r"rules?|règles?",
    "article": r"articles?|arts?\.",
    "paragraph": r"paragraphs?|paras?\.|paragraphes?",
    "resolution": r"resolutions?|résolutions?",
    "decision": r"decisions?|décisions?",
    "annex": r"annex(?:es)?|annexes?",
}
_REF = r"\d+(?:/\d+)?(?:\s*\(\s*[0-9a-z]{1,3}\s*\))*"
PROVISION = re.compile(
    r"(?:\b(" + "|".join(PROVISION_TYPES.values()) + r")|(§§?))\s*(?:n[°o]\.?\s*)?"
    rf"({_REF}(?:\s*(?:,|and|et|or|ou|to|à|through|–|-)\s*(?:{_REF}|\(\s*\d+\s*\)))*)", re.IGNORECASE)
RANGE = re.compile(r"(?<![(\d/])(\d+)\s*(?:to|à|through|–|-)\s*(\d+)(?![\d/])")
MAX_RANGE = 30
_TYPE_OF = [(name, re.compile(rf"^(?:{alts})$", re.IGNORECASE))
            for name, alts in PROVISION_TYPES.items()]

MULTIPLIERS = {"hundred": 100, "cent": 100, "cents": 100, "thousand": 1000, "mille": 1000}
DENOMINATORS = {"half": 2, "halves": 2, "moitié": 2, "third": 3, "thirds": 3, "tiers": 3,
                "quarter": 4, "quarters": 4, "quart": 4, "quarts": 4, "fourth": 4, "fourths": 4,
                "fifth": 5, "fifths": 5, "cinquième": 5, "cinquièmes": 5, "sixth": 6, "sixths": 6,
                "tenth": 10, "tenths": 10, "dixième": 10, "dixièmes": 10}
UNITS = {"day": "day", "days": "day", "jour": "day", "jours": "day", "week": "week",
         "weeks": "week", "semaine": "week", "semaines": "week", "month": "month",
         "months": "month", "mois": "month", "year": "year", "years": "year", "an": "year",
         "ans": "year", "année": "year", "années": "year", "hour": "hour", "hours": "hour",
         "heure": "hour", "heures": "hour"}
UNIT_ADJECTIVES = {"working", "calendar", "full", "clear", "consecutive", "business"}
MONTHS = {w: n for n, words in enumerate([
    "", "january janvier", "february février fevrier", "march mars", "april avril", "may mai",
    "june juin", "july juillet", "august août aout", "september septembre",
    "october octobre", "november novembre", "december décembre decembre"]) for w in words.split()}
ORDINAL_SUFFIXES = {"st", "nd", "rd", "th", "er", "e", "ème", "re"}
LONE_ONE = {"one", "un", "une"}
JOINED_BY_ET = {"un", "une", "onze", "unième", "onzième"}  # vingt et un, soixante et onze


def evidence(text: str) -> set[str]:
    """The facts a passage supports: its own, plus equivalent forms (1/3 ↔ one third)."""
    found = facts(text)
    for fact in list(found):
        kind, _, value = fact.partition(":")
        if kind == "frac":
            found.add(f"num:{value}")
        elif kind == "num" and re.fullmatch(r"[1-9]/(?:[2-9]|10)", value):
            found.add(f"frac:{value}")
        elif kind == "rule":  # the French rules of procedure number "articles"
            found.add(f"article:{value}")
        elif kind == "article" and FRENCH_RULES.search(text):
            found.add(f"rule:{value}")
    return found


def facts(text: str) -> set[str]:
    """The checkable facts in ``text``, in normal form: ``num:30``, ``frac:1/3``, ``dur:6-week``,
    ``date:28-6``, ``date:6-2004``, ``rule:41``, ``article:32``, ``resolution:9/1``, ``sym:CTOC/…``."""
    text = URL.sub(" ", text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " "))
    found = {f"sym:{s.upper()}" for s in SYMBOL.findall(text)}
    text = SYMBOL.sub(" ", text)
    found |= _provisions(text)
    found |= _word_facts([t.replace(",", "") for t in TOKEN.findall(text.lower())])
    return found


def _provisions(text: str) -> set[str]:
    """``rule:41``, ``article:32``, ``paragraph:2`` (also from "article 32(2)")…"""
    found: set[str] = set()
    for match in PROVISION.finditer(text):
        kind = "paragraph" if match.group(2) else next(
            name for name, pattern in _TYPE_OF if pattern.match(match.group(1)))
        refs = match.group(3)
        numbers = re.findall(r"(?<![(\d/])\d+(?:/\d+)?(?![\d/])(?!\s*\))", refs)
        found.update(f"{kind}:{number}" for number in numbers)
        for low, high in RANGE.findall(refs):  # "rules 14 to 17" covers 15 and 16
            if int(low) < int(high) <= int(low) + MAX_RANGE:
                found.update(f"{kind_}:{n}" for n in range(int(low), int(high))
                             for kind_ in (kind, "num"))
        for sub in re.findall(r"\(\s*(\d+)\s*\)", refs):
            found.add(f"paragraph:{int(sub)}")
    return found


def _word_facts(tokens: list[str]) -> set[str]:
    """Numbers (digits or words), fractions, durations and dates from lowercase tokens."""
    found: set[str] = set()
    i = 0
    while i < len(tokens):
        value, j, lone = _number(tokens, i)
        if value is None:
            if tokens[i] in ("half", "moitié"):
                found.add("frac:1/2")
            elif tokens[i] in ("a", "an") and i + 2 < len(tokens) and \
                    tokens[i + 1] in DENOMINATORS and tokens[i + 2] in ("of", "de", "des", "du"):
                found.add(f"frac:1/{DENOMINATORS[tokens[i + 1]]}")
                i += 1
            i += 1
            continue
        nxt = tokens[j] if j < len(tokens) else ""
        if isinstance(value, int) and 1 <= value <= 10 and nxt in DENOMINATORS \
                and not tokens[i].isdigit():
            found.add(f"frac:{value}/{DENOMINATORS[nxt]}")
            i = j + 1
            continue
        found |= _date(tokens, i, j, value)
        unit = tokens[j + 1] if nxt in UNIT_ADJECTIVES and j + 1 < len(tokens) else nxt
        if unit in UNITS:
            found.add(f"dur:{value}-{UNITS[unit]}")
        if not lone or unit in UNITS:
            found.add(f"num:{value}")
        i = j
    return found


def _number(tokens: list[str], i: int) -> tuple[int | str | None, int, bool]:
    """(value, index after it, is it a lone "one/un/une") for a number at ``tokens[i]``."""
    word = tokens[i]
    if word[0].isdigit():
        j = i + 1 + (i + 1 < len(tokens) and tokens[i + 1] in ORDINAL_SUFFIXES)
        return (int(word) if word.isdigit() else word), j, False
    total, current, j = 0, 0, i
    while j < len(tokens):
        w, prev = tokens[j], tokens[j - 1] if j > i else ""
        if w in CARDINALS:
            v = CARDINALS[w]
            if v == 20 and prev == "quatre" and current == 4:
                current = 80
            elif current == 0 and j == i:
                current = v
            elif current % 100 == 0 and v < 100 or current % 10 == 0 and v < 10 \
                    or current in (60, 80) and v < 20:
                current += v
            else:
                break
        elif w in MULTIPLIERS and j > i:
            if MULTIPLIERS[w] == 1000:
                total, current = total + max(current, 1) * 1000, 0
            else:
                current = max(current, 1) * 100
        elif w in ("et", "and") and j > i and j + 1 < len(tokens) and \
                (tokens[j + 1] in JOINED_BY_ET or prev in MULTIPLIERS and tokens[j + 1] in CARDINALS):
            pass
        elif w in ORDINALS and (j == i or current % 10 == 0 and current >= 20):  # twenty-first
            return total + current + ORDINALS[w], j + 1, False
        else:
            break
        j += 1
    if j == i:
        return None, i, False
    return total + current, j, j == i + 1 and tokens[i] in LONE_ONE


def _date(tokens: list[str], i: int, j: int, value: int | str) -> set[str]:
    """``date:28-6`` (day, month) and ``date:6-2004`` (month, year) around a number."""
    if not isinstance(value, int) or not tokens[i][0].isdigit():
        return set()
    found = set()
    after = tokens[j] if j < len(tokens) else ""
    before = tokens[i - 1] if i > 0 else ""
    if 1 <= value <= 31 and after in MONTHS:
        found.add(f"date:{value}-{MONTHS[after]}")
        if j + 1 < len(tokens) and re.fullmatch(r"\d{4}", tokens[j + 1]):
            found.add(f"date:{MONTHS[after]}-{tokens[j + 1]}")
    elif before in MONTHS and 1 <= value <= 31 and not re.fullmatch(r"\d{4}", tokens[i]):
        found.add(f"date:{value}-{MONTHS[before]}")
        if re.fullmatch(r"\d{4}", after):
            found.add(f"date:{MONTHS[before]}-{after}")
    elif before in MONTHS and 1000 <= value <= 2999:
        found.add(f"date:{MONTHS[before]}-{value}")
    return found

"""Other bodies the glossary does not list: a name the documents never use beside a word for a body.

"Quorum of the UNICEF Executive Board?", « le Conseil d'administration du PNUD », "the
Peacebuilding Commission": the glossary cannot list every organ of the UN system, but a body
named by a word the knowledge base never uses ("UNICEF", « PNUD ») cannot be one it covers. Such a
body is treated as a glossary body (its procedure declined unless a passage speaks of it).
"""

from __future__ import annotations

import re
from typing import Callable

from assistant.answers.glossary import Body, body_named
from assistant.corpus.text import fold

_KIND = (r"executive boards?|governing (?:council|body|board)s?|boards? of (?:governors|trustees)|"
         r"executive (?:council|committee)s?|general (?:conference|assembly)|assembly|council|board|commission|"
         r"committee|tribunal|court|summit|conference of (?:the )?(?:states )?parties|"
         r"meetings? of (?:the )?states parties|"
         r"conseil d'administration|conseil des gouverneurs|conseil executif|comite executif|"
         r"conference generale|assemblee(?: generale)?|conseil|commission|comite|cour|tribunal|sommet|"
         r"conference des (?:etats )?parties|reunions? des etats parties")
_OF = r"(?:of|to|on|for|de|du|des|de la|de l'|d'|a|a la|a l'|aux|au)"
_NAME = r"[^\W\d_][\w-]*"
WORD = re.compile(_NAME)
BEFORE = re.compile(rf"(?<![\w'-])({_NAME})\s+(?:{_KIND})\b", re.IGNORECASE)  # "UNICEF Executive Board"
# "… of UNDP", "… to the Convention on Wetlands": the owner's first words, up to a comma or question mark
AFTER = re.compile(rf"\b(?:{_KIND})\s+{_OF}(?:\s+|(?<='))(?:the\s+|la\s+|le\s+|l')?((?:{_NAME}['\s]+){{0,3}}{_NAME})",
                   re.IGNORECASE)


def unlisted_bodies(question: str, in_documents: Callable[[str], bool],
                    common: Callable[[str], bool]) -> list[tuple[str, Body]]:
    """(body as written, body) for a body named by a word the documents never use, not a common
    English or French word unless written as a name ("Peacebuilding Commission", "unep governing council")."""
    folded = fold(question)
    shown = question if len(question) == len(folded) else folded  # spans index the typed text
    for pattern in (BEFORE, AFTER):
        for match in pattern.finditer(folded):
            for word in WORD.finditer(folded, match.start(1), match.end(1)):
                if _names_a_body(shown[word.start():word.end()], in_documents, common):
                    form = shown[match.start():max(word.end(), match.end() if pattern is BEFORE else 0)]
                    return [(form, body_named(form))]
    return []


def _names_a_body(word: str, in_documents: Callable[[str], bool], common: Callable[[str], bool]) -> bool:
    if len(word) < 2 or in_documents(word):
        return False
    written_as_name = word.isupper() or word[:1].isupper()
    return written_as_name or not common(fold(word).lower())

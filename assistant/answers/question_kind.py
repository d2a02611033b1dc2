"""What kind of fact a question asks for: "when" a date, "how many" a count, "how long" a period,
"who" an actor, "which resolution" a symbol, "in which cases" a condition, "what is" a definition,
"can / may" a permission; and whether it asks two things, what majority a decision needs, or which
resolution set something up. Patterns work on accent-free lower-case text, in English and French.
"""

from __future__ import annotations

import re

from assistant.corpus.text import fold

QUESTION_KINDS = [  # first match wins: "how many days" is a period, not a count
    ("period", re.compile(r"\b(?:how long|how far|how early|how soon|how many (?:days|weeks|months|years|hours)|"
                          r"deadline|time limit|delai|combien (?:de |d')(?:temps|jours|semaines|mois|ans|annees|"
                          r"heures)|dans quel delai|how often|frequence|tous les combien|a quelle frequence)\b")),
    ("count", re.compile(r"\b(?:how many|how much|number of|combien|nombre de|quel nombre|\w+ count)\b")),
    ("place", re.compile(r"\b(?:where|which city|what city|ou se|ou a lieu|ou ont lieu|ou est|quelle ville|"
                         r"dans quelle ville|quel lieu|lieu|venue|c'?\s?(?:est|etait) ou(?! non| pas))\b|"
                         r"\bou\s*(?:\?|$)")),
    ("date", re.compile(r"\b(?:when|what dates?|which dates?|what year|which year|quand|quelles? dates?|from when|"
                        r"from what (?:point|date|day)|a (?:compter|partir) de quel\w* (?:date|moment|jour)|"
                        r"a (?:compter|partir) de quand|en quelle annee|quelle annee|dates?)\b")),
    ("symbol", re.compile(r"\b(?:which|what|quelle?s?|sous quelle)\s+(?:\w+\s+)?(?:resolution|decision|res|dec|"
                          r"document|symbol|symbole)s?\b")),
    ("actor", re.compile(r"^(?:\W*)(?:who|whom|whose|whos|qui)\b|\b(?:who|qui)\W*$|"
                         r"\b(?:who|qui) (?:is|are|was|were|est|sont|a|ont|"
                         r"prepare|convene|chair|preside|assure|decide)\w*\b|\bby whom\b|\bpar qui\b")),
    ("condition", re.compile(r"\b(?:in (?:which|what) (?:cases?|circumstances)|under what (?:conditions|circumstances)|"
                             r"on what conditions|dans quels? cas|a quelles? conditions?|sous quelles? conditions?|"
                             r"en quelles? circonstances)\b"
                             # what is required first: "what must a signatory do before attending?"
                             r"|\bwhat (?:must|should|does|do|has|have) .{0,60}\b(?:do|have to do|need to do)\b.{0,20}"
                             r"\b(?:before|beforehand|prior|in advance)\b|\bque doi\w* .{0,60}\bfaire\b.{0,20}"
                             r"\b(?:avant|au prealable|prealablement)\b")),
    ("definition", re.compile(r"^(?:\W*)(?:what is|what are|what's|whats|c'est quoi|qu'est-ce qu|que veut dire|"
                              r"que signifie)|\b(?:definition|def|defin\w+|meaning|means?|signifie|au sens d|"
                              r"entend par|c(?:'est|est)? (?:quoi|koi))\b")),
    ("permission", re.compile(r"^(?:\W*)(?:can|may|could|must|is it possible|are .{0,40} allowed|is .{0,40} allowed|"
                              r"do(?:es)? .{0,40} need|peut|peuvent|est-ce qu|a-t-on|faut-il|doit|doivent)\b|"
                              r"\b(?:can|may|could|peut|peuvent|allowed|possible|autorise\w*|droit de|"
                              r"ha(?:ve|s) to(?! do with)|need to|required to|obliged to|oblige\w*)\b")),
]

# "Could you confirm in which languages…?", "can you tell me who…": a courtesy that asks no permission (not
# "can you explain your vote after the vote?")
COURTESY = re.compile(r"^\W*(?:could|can|would|will) you (?:please |kindly )?"
                      r"(?:(?:confirm|tell|let|advise|clarify|explain|remind|check|indicate|say|share)\w* (?:me|us)\b"
                      r"(?: know)?|(?:confirm|check|clarify|explain|indicate|say)\w*"
                      r"(?= (?:whether|if|that|what|which|who|when|where|how|in which)\b))")
# "when the EU votes…, how many…", « quand il n'y a pas de consensus on fait quoi »: a circumstance, not a
# date asked for, when a comma or the question's own main clause follows it
MAIN_CLAUSE = re.compile(r"\b(?:does|do|did|can|could|may|must|should|how|what|who|which|est-ce|peut|peuvent|"
                         r"faut|doit|quoi|comment|combien)\b")
CONJUNCTION_WHEN = re.compile(r"(?<!since )(?<!until )(?<!depuis )(?<!jusqu'a )\b(?:when|quand)\s+"
                              r"(?:the|a|an|it|its|they|we|you|our|their|this|that|there|someone|one|"
                              r"le|la|les|l'|un|une|il|ils|elle|elles|on|y|ce|cette|nous|vous)\b")
# "what must a State attach when it proposes an item?": the question opened by asking its fact (not "who knows
# when…", « quelqu'un sait quand… », « est-ce que… »)
ASKED_BEFORE = re.compile(r"^\W*(?:what|which|who|whom|quel(?!qu)\w*|que|qu'|quoi|qui)\b"
                          r"(?!.*\b(?:know|knows|find out|tell|remind|check|sai[st]|savez|savoir|verifier)\b)")


# "creds for a session where amendments are on the table", « une séance où l'on vote »: a relative clause, no place
RELATIVE_WHERE = re.compile(r"\b((?:a|an|the|any|each|every|that|this|une?|la|le|les|chaque)\s+"
                            r"(?!(?:city|place|venue|country|town|room|hall|building|site|location|capital|ville|lieu|"
                            r"pays|endroit|salle|batiment|capitale)\b)(?:\w+\s+){1,2})(?:where|ou)\b"
                            # (not a question word: "…where?", « où se tiendra-t-elle ? »)
                            r"(?!\s*(?:\?|$)|\s+\w+\s+\w+-t-|\s+\w+-(?:t-)?(?:il|elle|ils|elles|on)\b)")


# "how many members, and who elects them?": a question that asks two things
COMPOUND = re.compile(r"(?:,|\?|;|—|-|\b(?:and|et|or|ou))\s*(?:if not,?\s+)?(?:and\s+|et\s+)?"
                      r"(?:what|which|who|whom|when|where|how|why|quel\w*|qui|quand|où|comment|combien|pourquoi|"
                      r"a quel\w*|à quel\w*|in which|"
                      r"dans quel\w*|by whom|par qui)\b"
                      # "can the President open the meeting? can we adopt anything?": a second question (not "…? is it
                      # two-thirds?", "…? do you know?", « …? est-ce bien le Président ? »: a confirmation)
                      r"|\?\s*(?:and\s+|et\s+)?(?!(?:is|are|was)\s+(?:it|that|this|they)\b|do you know|"
                      r"est-ce (?:que c'est|bien|que (?:tu|vous) sa|le|la|les)\b)"
                      r"(?:can|may|could|do|does|is|are|will|must|peut|peuvent|est-ce|faut|doit)\b",
                      re.IGNORECASE)
QUESTION_WORD = re.compile(r"\b(?:what|which|who|whom|when|where|how|why|can|may|does|do|did|is|are|was|were|"
                           r"quel\w*|qui|quand|où|ou|comment|combien|pourquoi|peut|peuvent|est-ce)\b", re.IGNORECASE)


# "what majority if there is no consensus?": asked besides the kind of fact (a majority is not weighed as a
# kind: another passage's "two-thirds majority" would then answer a question the knowledge base cannot)
MAJORITY = re.compile(r"\b(?:(?:what|which|by what|how big a|the required|quelle|a quelle|par quelle)\s+(?:\w+\s+)?"
                      r"(?:majority|majorite|majo)|majorit(?:y|e) (?:needed|required|requise|necessaire)|"
                      r"(?:need|needs|require|requires|faut|faut-il)\s+(?:\w+\s+)?(?:majority|majorite))\b")


# "which COP decision or resolution established the Working Group?": a number such as 5/3 answers it, not the
# symbol of a document (CTOC/COP/WG.6/2018/3)
DECISION = re.compile(r"\b(?:which|what|quelle|par quelle|by which|by what)\s+(?:\w+\s+)?"
                      r"(?:resolution|decision|res|dec)\b(?![\s-]*\d|-)[^?]{0,80}?"
                      r"\b(?:establish\w*|creat\w*|set up|adopt\w*|amend\w*|launch\w*|institu\w*|cree\w*|etabli\w*|"
                      r"modifi\w*|lance\w*|a fait|made)")
DECISION_NUMBER = re.compile(r"(?<![\w/.])\d{1,3}/\d{1,3}(?![\w/])")


def asks_decision(question: str) -> bool:
    """Whether the question asks which resolution or decision set something up, adopted or changed it."""
    return DECISION.search(fold(question).lower()) is not None


def asks_majority(question: str) -> bool:
    """Whether the question asks what majority a decision needs."""
    return MAJORITY.search(fold(question).lower()) is not None


def asked_kind(question: str) -> str | None:
    """``period``, ``count``, ``place``, ``date``, ``symbol``, ``actor``, ``condition``,
    ``definition``, ``permission`` or None."""
    text = RELATIVE_WHERE.sub(r"\1", _without_circumstance(COURTESY.sub(" ", fold(question).lower())))
    for kind, pattern in QUESTION_KINDS:
        if pattern.search(text):
            return kind
    return None


def _without_circumstance(text: str) -> str:
    """The question less a circumstance: "when" + subject closed by a comma or followed by the
    question's own main clause ("when the RoP say X, does that cover…"), or after the question asked its
    fact ("what must X attach when…"); "can you remind me when the COP met?" and « quand la CP
    a-t-elle… ? » still ask a date."""
    def circumstance(match: re.Match[str]) -> str:
        rest = text[match.end():]
        asked_before = ASKED_BEFORE.search(text[:match.start()].strip())
        return " " if "," in rest or MAIN_CLAUSE.search(rest) or asked_before else match.group()
    return CONJUNCTION_WHEN.sub(circumstance, text)


def asks_two_things(question: str) -> bool:
    """Whether a question asks something, then something else ("how many members, and who elects
    them?"); not "Under rule 22, who elects…?"."""
    return any(QUESTION_WORD.search(question[:m.start()]) for m in COMPOUND.finditer(question))

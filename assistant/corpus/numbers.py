"""Number words of English and French, cardinal and ordinal, as their values.

Shared by the keyword index (ordinals written any way are one term), the reading of
questions (sessions named by ordinal, counts) and the fair matching of numbers in answers.
"""

from __future__ import annotations

CARDINALS = {w: n for n, words in enumerate([
    "zero zéro", "one un une", "two deux", "three trois", "four quatre", "five cinq", "six",
    "seven sept", "eight huit", "nine neuf", "ten dix", "eleven onze", "twelve douze",
    "thirteen treize", "fourteen quatorze", "fifteen quinze", "sixteen seize", "seventeen",
    "eighteen", "nineteen"]) for w in words.split()}
CARDINALS |= {w: 10 * n for n, words in enumerate(
    ["", "", "twenty vingt vingts", "thirty trente", "forty quarante", "fifty cinquante",
     "sixty soixante", "seventy", "eighty", "ninety"]) for w in words.split()}
ORDINALS = {w: n for n, words in enumerate([
    "", "first premier première", "second deuxième seconde", "third troisième",
    "fourth quatrième", "fifth cinquième", "sixth sixième", "seventh septième", "eighth huitième",
    "ninth neuvième", "tenth dixième", "eleventh onzième", "twelfth douzième",
    "thirteenth treizième", "fourteenth quatorzième", "fifteenth quinzième", "sixteenth seizième",
    "seventeenth", "eighteenth", "nineteenth", "twentieth vingtième"]) for w in words.split()}
ORDINALS |= {"thirtieth": 30, "trentième": 30, "fortieth": 40, "quarantième": 40,
             "fiftieth": 50, "cinquantième": 50, "hundredth": 100, "centième": 100,
             "unième": 1}  # the tail of « vingt et unième »

"""Fair keyword matching: numbers in words or digits, case, accents and apostrophes."""

from __future__ import annotations

import pytest

from assistant.quality.keywords import keyword_in


@pytest.mark.parametrize("keyword, answer", [
    ("60 days", "at least sixty (60) days before a regular session"),
    ("sixty days", "at least 60 days before"),
    ("60", "sixty (60) days"),
    ("thirty days", "Sixty days before, thirty (30) days for a special session"),
    ("30 jours", "au moins trente (30) jours avant une session extraordinaire"),
    ("trente jours", "au moins 30 jours avant"),
    ("vingt-cinq", "25 États"),
    ("secrétariat", "Le SECRETARIAT prépare l'ordre du jour"),
    ("l'ONUDC", "assuré par l’ONUDC"),
    ("Etats parties", "les États parties"),
    ("observer", "observers may attend"),
])
def test_the_same_fact_written_another_way_is_found(keyword: str, answer: str) -> None:
    assert keyword_in(keyword, answer)


@pytest.mark.parametrize("keyword, answer", [
    ("60 days", "thirty (30) days"),
    ("6", "sixty (60) days"),          # a number never matches inside another
    ("trente jours", "trente-deux jours"),
    ("vote", "a veto"),
    ("ote", "a vote"),                 # from a word start only
    ("", "anything"),
])
def test_a_different_fact_is_not_found(keyword: str, answer: str) -> None:
    assert not keyword_in(keyword, answer)

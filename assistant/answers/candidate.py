"""A sentence of a retrieved passage, scored as an answer to the question."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answers.retrieve import Hit


@dataclass
class Candidate:
    score: float  # how well it answers, against sentences of other passages
    within: float  # against the other sentences of its own passage
    rank: int
    hit: Hit
    paragraph: list[str]  # the sentences of the paragraph it is in
    index: int  # its position in that paragraph

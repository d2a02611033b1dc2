"""``eval --sample N``: stratified by language and answerability, the same every time."""

from __future__ import annotations

from collections import Counter

import pytest

from assistant.quality.golden import GoldenQuestion, load_golden
from assistant.quality.sample import stratified_sample
from assistant.settings import PACKAGE_ROOT

GOLDEN = load_golden(PACKAGE_ROOT / "evals" / "test.jsonl")


def strata(questions: list[GoldenQuestion]) -> Counter[tuple[str, bool]]:
    return Counter((q.lang, q.answerable) for q in questions)


@pytest.mark.parametrize("n", [4, 10, 24, 40])
def test_a_sample_spreads_over_language_and_answerability_in_proportion(n: int) -> None:
    sample = stratified_sample(GOLDEN, n)
    assert len(sample) == n and len({q.id for q in sample}) == n
    counts, sizes = strata(sample), strata(GOLDEN)
    assert set(counts) == set(sizes)  # every stratum is seen
    for key, size in sizes.items():
        assert abs(counts[key] - n * size / len(GOLDEN)) < 1.5


def test_the_same_n_gives_the_same_questions_in_file_order() -> None:
    first, again = stratified_sample(GOLDEN, 24), stratified_sample(list(reversed(GOLDEN)), 24)
    assert {q.id for q in first} == {q.id for q in again}
    assert first == sorted(first, key=GOLDEN.index)


def test_a_sample_no_smaller_than_the_set_is_the_whole_set() -> None:
    assert stratified_sample(GOLDEN, len(GOLDEN) + 5) == GOLDEN


def test_a_sample_smaller_than_the_strata_still_has_n_questions() -> None:
    assert len(stratified_sample(GOLDEN, 2)) == 2

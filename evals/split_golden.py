"""Split questions into a tuning half and a test half, stratified and reproducible.

Within each (language, answerable, class) group, questions are ordered by a hash of their
id and dealt alternately to tune and test, so the split never depends on file order.
Usage: python -m evals.split_golden NEW.jsonl  (appends to evals/tune.jsonl and evals/test.jsonl)
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

EVALS = Path(__file__).resolve().parent
EXPLICIT = re.compile(r"\b(?:rule|r[eè]gle|art(?:icle)?\.?|res(?:olution)?\.?|r[ée]solution|d[ée]cision|dec\.?)"
                      r"\s*\d|\b(?:cop|cp|cdp)\s?\d{1,2}\b|\b\d{1,2}/\d{1,2}\b", re.IGNORECASE)


def question_class(item: dict) -> str:
    if "class" in item:
        return item["class"]
    if not item["answerable"]:
        return "out-of-scope"
    return "explicit-reference" if EXPLICIT.search(item["question"]) else "formal"


def split(items: list[dict]) -> tuple[list[dict], list[dict]]:
    groups: dict[tuple, list[dict]] = {}
    for item in items:
        item["class"] = question_class(item)
        groups.setdefault((item["lang"], item["answerable"], item["class"]), []).append(item)
    tune, test = [], []
    for key in sorted(groups, key=str):
        ordered = sorted(groups[key], key=lambda i: hashlib.sha1(i["id"].encode()).hexdigest())
        for n, item in enumerate(ordered):
            (tune if n % 2 == 0 else test).append(item)
    return tune, test


def main(paths: list[str]) -> None:
    items = [json.loads(line) for p in paths for line in Path(p).read_text(encoding="utf-8").splitlines()
             if line.strip()]
    tune, test = split(items)
    for name, part in (("tune", tune), ("test", test)):
        with open(EVALS / f"{name}.jsonl", "a", encoding="utf-8") as out:
            out.writelines(json.dumps(i, ensure_ascii=False) + "\n" for i in part)
        print(f"{name}: +{len(part)}")


if __name__ == "__main__":
    main(sys.argv[1:])

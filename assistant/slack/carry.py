"""What an answer's buttons carry: its id, plus enough to record a vote without the local copy.

With several replicas, a click may reach one that did not post the answer; the button
value (at most 2,000 characters) then still gives the question, language and sources.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from assistant.answers.answer import Answer, Citation

VALUE_LIMIT = 2000


@dataclass
class Carried:
    answer_id: str
    question: str | None = None
    lang: str = "en"
    answered: bool = False
    sources: list[str] = field(default_factory=list)  # "doc_id#locator"

    def answer(self, text: str) -> Answer | None:
        """The answer as far as the button knows it (``text`` read from the message)."""
        if not self.question:
            return None
        citations = [Citation(n=n, doc_id=source.partition("#")[0], title="",
                              locator=source.partition("#")[2], heading="", lang=self.lang, url=None,
                              snippet="", kind="") for n, source in enumerate(self.sources, 1)]
        return Answer(self.question, self.lang, self.answered, text, citations)


def pack(answer_id: str, answer: Answer) -> str:
    """A button value of at most 2,000 characters; the question is shortened to fit if needed."""
    carried = {"id": answer_id, "l": answer.language, "a": int(answer.answered),
               "s": [f"{c.doc_id}#{c.locator}" for c in answer.citations][:20], "q": ""}
    question = answer.question
    while len(value := _dump({**carried, "q": question})) > VALUE_LIMIT:
        question = question[:len(question) - max(1, len(value) - VALUE_LIMIT)]
    return value


def unpack(value: str) -> Carried:
    """Read a button value (a bare answer id also works)."""
    try:
        data = json.loads(value)
    except ValueError:
        return Carried(answer_id=value)
    if not isinstance(data, dict):
        return Carried(answer_id=value)
    return Carried(str(data.get("id", "")), data.get("q") or None, data.get("l", "en"),
                   bool(data.get("a")), list(data.get("s", [])))


def _dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

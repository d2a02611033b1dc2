"""The Markdown evaluation report: ours beside the baseline, per language, then failures."""

from __future__ import annotations

from assistant.quality.evaluate import Outcome

METRICS = ("hit_at_1", "hit_at_3", "hit_at_5", "mrr", "citation_precision", "keyword_recall",
           "refusal_accuracy", "false_refusal_rate", "faithfulness", "fallback_share", "latency_ms_p50",
           "latency_ms_p95")


def fmt(value: object) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.1f}" if value > 1.5 else f"{value:.3f}"
    return str(value)


def metrics_table(ours: dict, baseline: dict | None) -> list[str]:
    head = "| metric | assistant |" + (" baseline |" if baseline else "")
    rule = "|---|---:|" + ("---:|" if baseline else "")
    rows = [head, rule]
    for name in ("n",) + METRICS:
        row = f"| {name} | {fmt(ours.get(name))} |"
        if baseline:
            row += f" {fmt(baseline.get(name))} |"
        rows.append(row)
    return rows


def markdown(result: dict, outcomes: list[Outcome]) -> str:
    baseline = result.get("baseline")
    lines = ["# Evaluation report", "", "## All questions", ""]
    lines += metrics_table(result["metrics"], baseline["metrics"] if baseline else None)
    for lang, values in result["by_lang"].items():
        lines += ["", f"## {lang}", ""]
        lines += metrics_table(values, baseline["by_lang"].get(lang) if baseline else None)
    lines += ["", f"## Failures ({len(result['failures'])})", ""]
    by_id = {o.question.id: o for o in outcomes}
    for failure in result["failures"]:
        outcome = by_id[failure["id"]]
        retrieved = ", ".join(f"`{d}#{loc}`" for d, loc in outcome.response.retrieved[:5])
        lines += [f"### {failure['id']}", "", f"- question: {outcome.question.question}",
                  f"- why: {failure['why']}", f"- retrieved: {retrieved}",
                  f"- answered: {outcome.response.answered}",
                  f"- answer: {outcome.response.answer[:400]}", ""]
    return "\n".join(lines) + "\n"

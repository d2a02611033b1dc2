"""The evaluation report: each question set side by side, by language and class, then failures."""

from __future__ import annotations

from assistant.quality.evaluate import Outcome

METRICS = ("hit_at_1", "hit_at_3", "hit_at_5", "mrr", "citation_precision", "keyword_recall",
           "refusal_accuracy", "false_refusal_rate", "faithfulness", "answer_chars", "fallback_share",
           "latency_ms_p50", "latency_ms_p95")
CLASS_METRICS = ("n", "hit_at_5", "citation_precision", "keyword_recall", "refusal_accuracy",
                 "false_refusal_rate")


def fmt(value: object) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.1f}" if value > 1.5 else f"{value:.3f}"
    return str(value)


def table(columns: dict[str, dict], rows: tuple[str, ...]) -> list[str]:
    """A Markdown table: one column per named metrics dict, one row per metric."""
    lines = ["| metric | " + " | ".join(columns) + " |", "|---|" + "---:|" * len(columns)]
    for name in rows:
        lines.append(f"| {name} | " + " | ".join(fmt(values.get(name)) for values in columns.values()) + " |")
    return lines


def metrics_table(ours: dict, baseline: dict | None) -> list[str]:
    columns = {"assistant": ours} | ({"baseline": baseline} if baseline else {})
    return table(columns, ("n",) + METRICS)


def summary_tables(result: dict) -> list[str]:
    """Every set, the gated set by language, and the baseline; then the gated set by class."""
    gated = result["gated"]
    columns = {name: values["metrics"] for name, values in result["sets"].items()}
    columns |= {f"{gated} {lang}": values for lang, values in result["by_lang"].items()}
    if result.get("baseline"):
        columns[f"baseline ({gated})"] = result["baseline"]["metrics"]
    for values in columns.values():
        values.setdefault("n", None)
    lines = table(columns, ("n",) + METRICS)
    classes = {name: values for name, values in result["by_class"].items()}
    lines += ["", f"By class ({gated}):", ""]
    lines += ["| class | " + " | ".join(CLASS_METRICS) + " |", "|---|" + "---:|" * len(CLASS_METRICS)]
    lines += [f"| {name} | " + " | ".join(fmt(values.get(m)) for m in CLASS_METRICS) + " |"
              for name, values in classes.items()]
    return lines


def markdown(result: dict, outcomes: list[Outcome]) -> str:
    baseline = result.get("baseline")
    lines = ["# Evaluation report", "", "## Summary", ""] + summary_tables(result)
    for lang, values in result["by_lang"].items():
        lines += ["", f"## {result['gated']}: {lang}", ""]
        lines += metrics_table(values, baseline["by_lang"].get(lang) if baseline else None)
    lines += ["", f"## Failures in {result['gated']} ({len(result['failures'])})", ""]
    by_id = {o.question.id: o for o in outcomes}
    for failure in result["failures"]:
        outcome = by_id[failure["id"]]
        retrieved = ", ".join(f"`{d}#{loc}`" for d, loc in outcome.response.retrieved[:5])
        lines += [f"### {failure['id']}", "", f"- question: {outcome.question.question}",
                  f"- why: {failure['why']}", f"- retrieved: {retrieved}",
                  f"- answered: {outcome.response.answered}",
                  f"- answer: {outcome.response.answer[:400]}", ""]
    return "\n".join(lines) + "\n"

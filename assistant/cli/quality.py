"""``assistant eval`` and ``assistant bench``: measuring quality and speed."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assistant.settings import PACKAGE_ROOT, Settings

EVALS = PACKAGE_ROOT / "evals"


@click.command(name="eval")
@click.option("--questions", type=click.Path(path_type=Path, dir_okay=False), multiple=True,
              default=[EVALS / "tune.jsonl", EVALS / "test.jsonl"],
              show_default="evals/tune.jsonl evals/test.jsonl",
              help="Question file(s), one JSON object per line; repeat for several. The last one is "
                   "gated by the thresholds.")
@click.option("-k", "--k", type=click.IntRange(1, 50), default=5, show_default=True,
              help="Passages retrieved per question.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with all metrics.")
@click.option("--report", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write a Markdown report (tables per language, every failure).")
@click.option("--baseline", is_flag=True, help="Also run the LangChain-tutorial pipeline, side by side.")
@click.option("--sample", type=click.IntRange(1), default=None, metavar="N",
              help="Ask only N questions, stratified by language and answerability (the same N "
                   "gives the same questions): a quick check against a slow model.")
@click.option("--thresholds", type=click.Path(path_type=Path, dir_okay=False),
              default=PACKAGE_ROOT / "evals" / "thresholds.toml", show_default="evals/thresholds.toml",
              help="Minimum (and maximum) values per metric; exit 1 when one is crossed.")
@click.pass_obj
def evaluate(settings: Settings, questions: tuple[Path, ...], k: int, as_json: bool, report: Path | None,
             baseline: bool, sample: int | None, thresholds: Path) -> None:
    """Measure answer quality on question sets; fail when the last set crosses a threshold.

    By default the tuning set (what weights and thresholds were chosen on) and the test
    set (never used for choosing; what CI gates) are both reported.

    \b
    Example usage:
      assistant eval --baseline --report eval-report.md
      assistant eval --questions my-questions.jsonl --json
      ASSISTANT_LLM=openai:qwen OPENAI_BASE_URL=http://127.0.0.1:8080/v1 assistant eval --sample 24
    """
    import json

    from assistant.quality import report as markdown_report
    from assistant.quality.run import run_evaluation
    from assistant.quality.thresholds import load_thresholds, violations

    limits = load_thresholds(thresholds)
    result, outcomes = run_evaluation(settings, list(questions), k, baseline, progress=not as_json,
                                      sample=sample)
    if report:
        report.write_text(markdown_report.markdown(result, outcomes), encoding="utf-8")
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
    else:
        click.echo("\n".join(markdown_report.summary_tables(result)))
        click.echo(f"{len(result['failures'])} failures in {result['gated']}")
        if result["fallbacks"]:
            click.echo(f"fallbacks to the extractive answer: {result['fallbacks']}")
    broken = violations(result, limits)
    for line in broken:
        click.echo(f"threshold: {line}", err=True)
    if broken:
        sys.exit(1)


@click.command()
@click.option("--questions", type=click.Path(path_type=Path, dir_okay=False),
              default=EVALS / "test.jsonl", show_default="evals/test.jsonl",
              help="Questions for the warm-latency run.")
@click.option("--cold-runs", type=click.IntRange(1, 50), default=5, show_default=True,
              help="Fresh processes timed for the cold `ask` median.")
@click.option("--no-baseline", is_flag=True, help="Skip the LangChain-tutorial baseline.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def bench(settings: Settings, questions: Path, cold_runs: int, no_baseline: bool, as_json: bool) -> None:
    """Benchmark cold start, warm latency, ingest time and memory (in a temporary data dir).

    \b
    Example usage:
      assistant bench
      assistant bench --json --no-baseline
    """
    import json

    from assistant.quality.bench import run_bench, table

    result = run_bench(settings, questions, cold_runs, with_baseline=not no_baseline)
    click.echo(json.dumps(result) if as_json else table(result))


@click.command()
@click.option("--questions", type=click.Path(path_type=Path, dir_okay=False), default=EVALS / "tune.jsonl",
              show_default="evals/tune.jsonl", help="Labelled questions to fit on (never the test set).")
@click.option("--write", is_flag=True, help="Store the fitted model in assistant/answers/models.json.")
@click.pass_obj
def calibrate(settings: Settings, questions: Path, write: bool) -> None:
    """Fit the answer-or-decline model on the tuning questions, by cross-validation.

    Prints the chosen penalty, the threshold and the cross-validated false refusal rate and
    refusal accuracy; with --write, stores the model for the configured embedding backend
    (then run assistant eval).

    \b
    Example usage:
      assistant calibrate
      assistant calibrate --write && assistant eval
    """
    import json

    from assistant.answers import models
    from assistant.cli.answering import ready_assistant
    from assistant.quality.calibrate import collect, fit
    from assistant.quality.golden import load_golden

    assistant = ready_assistant(settings)
    refusal, report = fit(collect(assistant, load_golden(questions)))
    click.echo(json.dumps({"refusal": {"model": refusal.to_dict(), **report}}, indent=1))
    if write:
        models.write(assistant.embedder.name, {"refusal": refusal.to_dict()})
        click.echo(f"Wrote the {assistant.embedder.name} models to {models.MODEL_FILE}.", err=True)

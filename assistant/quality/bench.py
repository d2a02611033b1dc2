"""``assistant bench``: cold start, warm latency, ingest time and memory, ours and the baseline's.

Everything runs in a fresh temporary data directory, so the shipped corpus is ingested
from scratch; cold ``ask`` is a fresh process with the index present (median of 5).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assistant.quality.metrics import percentile
from assistant.settings import Settings

COLD_QUESTION = "Quel est le quorum ?"


def run_bench(settings: Settings, questions_path: Path, cold_runs: int = 5,
              with_baseline: bool = True) -> dict:
    """Measure; returns {"ours": {...}, "baseline": {...} | None, "machine": {...}}."""
    from assistant.answers.service import Assistant
    from assistant.index.ingest import ingest
    from assistant.quality.golden import load_golden

    questions = [q.question for q in load_golden(questions_path)]
    with tempfile.TemporaryDirectory(prefix="assistant-bench-") as tmp:
        settings = settings.with_(data_dir=Path(tmp))
        started = time.perf_counter()
        ingest(settings, rebuild=True, progress=False)
        ingest_s = time.perf_counter() - started
        cold_runs_measured = [_cold_ask(settings) for _ in range(cold_runs)]
        cold = [seconds for seconds, _ in cold_runs_measured]
        assistant = Assistant(settings)
        assistant.ask(questions[0])
        warm = [_timed(lambda q=q: assistant.ask(q)) for q in questions]
        ours = {"ingest_s": ingest_s, "cold_ask_s_median": statistics.median(cold),
                "warm_ms_p50": percentile(warm, 50), "warm_ms_p95": percentile(warm, 95),
                "peak_rss_mb": _peak_rss_mb(),
                "cold_peak_rss_mb": max(rss for _, rss in cold_runs_measured)}
        baseline = _bench_baseline(assistant, questions) if with_baseline else None
    return {"ours": ours, "baseline": baseline, "machine": _machine()}


def _bench_baseline(assistant, questions: list[str]) -> dict:  # type: ignore[no-untyped-def]
    from assistant.quality.baseline import BaselinePipeline
    from assistant.quality.run import indexed_entries

    started = time.perf_counter()
    pipeline = BaselinePipeline(indexed_entries(assistant.store))
    ingest_s = time.perf_counter() - started
    pipeline.run(questions[0], 4)
    warm = [_timed(lambda q=q: pipeline.run(q, 4)) for q in questions]
    return {"ingest_s": ingest_s, "warm_ms_p50": percentile(warm, 50),
            "warm_ms_p95": percentile(warm, 95), "peak_rss_mb": _peak_rss_mb()}


# The child reports its own high-water mark: ru_maxrss of a forked child would count the
# parent's pages from before exec, while VmHWM starts afresh with the new program.
REPORT_HWM = ("import atexit, sys\n"
              "def report():\n"
              "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')]\n"
              "    sys.stderr.write('VmHWM ' + (hwm[0].split()[1] if hwm else '0') + '\\n')\n"
              "atexit.register(report)\n"
              "from assistant.cli import main\n"
              "sys.argv = ['assistant', 'ask', sys.argv[1]]\n"
              "main()\n")


def _cold_ask(settings: Settings) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of ``assistant ask`` in a fresh process."""
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(settings.data_dir),
           "ASSISTANT_KNOWLEDGE_DIR": str(settings.knowledge_dir),
           "ASSISTANT_EMBEDDING": settings.embedding}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", REPORT_HWM, COLD_QUESTION], env=env,
                          check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    kilobytes = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("VmHWM ")]
    return seconds, (int(kilobytes[-1]) / 1024 if kilobytes else 0.0)


def _timed(call) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _machine() -> dict:
    import platform

    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}


def table(result: dict) -> str:
    """A Markdown table, ours beside the baseline."""
    ours, base = result["ours"], result["baseline"] or {}
    rows = [("ingest from scratch (s)", "ingest_s"), ("cold `ask` median (s)", "cold_ask_s_median"),
            ("warm latency p50 (ms)", "warm_ms_p50"), ("warm latency p95 (ms)", "warm_ms_p95"),
            ("peak RSS, bench process: ingest + warm run (MB)", "peak_rss_mb"),
            ("peak RSS, one cold `ask` (MB)", "cold_peak_rss_mb")]
    lines = ["| measure | assistant | baseline |", "|---|---:|---:|"]
    for label, key in rows:
        lines.append(f"| {label} | {_fmt(ours.get(key))} | {_fmt(base.get(key))} |")
    machine = result["machine"]
    lines.append(f"\n{machine['cpus']} CPUs, Python {machine['python']}, {machine['platform']}")
    return "\n".join(lines)


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}" if value < 10 else f"{value:.0f}"

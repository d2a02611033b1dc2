"""Load benchmark of the Slack bot in HTTP mode: many mentions from concurrent clients.

Starts the real ``assistant slack --http`` in a child process against the fake Slack Web
API of the tests (loopback, free ports), sends signed ``app_mention`` events with the
golden set's questions, and reports acknowledgement p50/p99, time to the final answer
p50/p95 (when the fake API received the ``chat.update`` carrying the buttons), answers
per second, errors (must be 0) and the bot's peak RSS — in embedded mode and in server
mode (a real ``chroma run`` on a free loopback port). A benchmark, not a test: it prints
numbers and exits 1 only on errors. Nothing leaves 127.0.0.1.

    python -m evals.load_bench                      # 200 mentions, 8 clients, both modes
    python -m evals.load_bench --events 20 --clients 2 --modes embedded --json load.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Iterator, NamedTuple

from assistant.answers.service import clean_question
from assistant.errors import UsageError
from assistant.quality.golden import load_golden
from assistant.quality.metrics import percentile
from assistant.settings import PACKAGE_ROOT
from tests.slack_api_server import BotProcess, Delivery, SlackApiServer, SlackSender, bot_env, wait_for_port

MODES = ("embedded", "server")
SLACK_ACK_LIMIT = 3.0  # Slack retries an event left unacknowledged this long
# Cleared for the bot: it must answer extractively, from this run's index, on loopback only.
REMOTE_SETTINGS = ("ASSISTANT_LLM", "OPENAI_BASE_URL", "OPENAI_API_KEY", "CHROMA_HOST", "CHROMA_PORT",
                   "CHROMA_SSL", "CHROMA_AUTH_TOKEN", "ASSISTANT_KNOWLEDGE_DIR")


class Sent(NamedTuple):
    channel: str
    ts: str  # the mention's ts: its answer goes into this thread
    at: float  # time.perf_counter(), the clock of the fake API's records
    delivery: Delivery | None
    error: str | None


def run_mode(mode: str, events: int, clients: int, work: Path, data_dir: Path | None = None,
             timeout: float = 600) -> dict[str, Any]:
    """Measure one mode; ``data_dir`` reuses an embedded index instead of building one."""
    folder = work / mode
    folder.mkdir(parents=True)
    env = {"HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", **{name: "" for name in REMOTE_SETTINGS}}
    with contextlib.ExitStack() as stack:
        if mode == "server":  # a replica: its own empty data dir, everything else on the server
            port, chroma = stack.enter_context(chroma_run(folder / "chroma-server"))
            env |= {"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(port)}
            _ingest(env, folder / "writer")
            index_dir = folder / "replica"
        else:
            index_dir = data_dir or folder / "index"
            if data_dir is None:
                _ingest(env, index_dir)
        api = stack.enter_context(SlackApiServer())
        bot = stack.enter_context(BotProcess(bot_env(api, index_dir, **env,
                                                     ASSISTANT_FEEDBACK_DB=str(folder / "f.sqlite3"))))
        sent = send_mentions(SlackSender(bot.url, api), events, clients, time.monotonic() + timeout)
        finals = wait_for_answers(api, sent, bot, time.monotonic() + timeout)
        peaks = {"peak_rss_mb": peak_rss_mb(bot.process.pid)}  # before the processes end
        if mode == "server":
            peaks["chroma_peak_rss_mb"] = peak_rss_mb(chroma.pid)
        return {"mode": mode, "events": events, "clients": clients,
                **measure(api, sent, finals, bot.stop()), **peaks}


def peak_rss_mb(pid: int) -> float | None:
    """A running process's peak resident set (Linux ``VmHWM``); None elsewhere."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    kilobytes = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), None)
    return None if kilobytes is None else round(kilobytes / 1024, 1)


def send_mentions(slack: SlackSender, events: int, clients: int, deadline: float) -> list[Sent]:
    """``events`` mentions from ``clients`` threads, each sending its next once Slack's is acknowledged."""
    questions = _questions()
    sent: list[Sent] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        for i in range(n, events, clients):
            channel, at = f"C0LOAD{n:02d}", time.perf_counter()
            if time.monotonic() > deadline:
                record = Sent(channel, "", at, None, "not sent before the deadline")
            else:
                try:
                    event, delivery = slack.mention(questions[i % len(questions)], channel=channel,
                                                    user=f"U0LOAD{n:02d}")
                    record = Sent(channel, event["ts"], at, delivery, None)
                except OSError as exc:
                    record = Sent(channel, "", at, None, f"{type(exc).__name__}: {exc}")
            with lock:
                sent.append(record)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sent


def wait_for_answers(api: SlackApiServer, sent: list[Sent], bot: BotProcess,
                     deadline: float) -> dict[str, float]:
    """``{mention ts: time of its final answer}``, once every acknowledged mention has one."""
    expected = sum(1 for s in sent if s.delivery and s.delivery.status == 200)
    while True:
        finals = final_answers(api)
        if len(finals) >= expected or time.monotonic() > deadline or bot.process.poll() is not None:
            time.sleep(0.5)  # let a duplicate answer show, if there is one
            return final_answers(api)
        time.sleep(0.05)


def final_answers(api: SlackApiServer) -> dict[str, float]:
    """When each thread's placeholder got the answer with buttons, by the mention's ts."""
    with api._lock:
        thread_of = {m["ts"]: m.get("thread_ts") for messages in api.messages.values() for m in messages}
    finals: dict[str, float] = {}
    for call in api.calls_to("chat.update"):
        if any(block.get("type") == "actions" for block in call.params.get("blocks") or []):
            finals.setdefault(thread_of.get(call.params["ts"]) or "", call.at)
    return finals


def measure(api: SlackApiServer, sent: list[Sent], finals: dict[str, float], log: str) -> dict[str, Any]:
    """Percentiles, throughput and every error, from what was sent and what the fake API saw."""
    acks = [s.delivery.seconds for s in sent if s.delivery]
    answers = [finals[s.ts] - s.at for s in sent if s.ts in finals]
    errors = [s.error for s in sent if s.error]
    errors += [f"HTTP {s.delivery.status}" for s in sent if s.delivery and s.delivery.status != 200]
    errors += [f"no answer in thread {s.ts}" for s in sent if s.ts and s.ts not in finals]
    placeholders = api.calls_to("chat.postMessage")
    if len(placeholders) > len(sent):
        errors.append(f"{len(placeholders) - len(sent)} extra messages (answered twice?)")
    errors += [line.strip()[:200] for line in log.splitlines() if " ERROR " in line or "Traceback" in line]
    span = max(finals.values(), default=0.0) - min((s.at for s in sent), default=0.0)
    return {"answered": len(answers), "not_covered": log.count(": not covered, "),
            "errors": len(errors), "error_samples": errors[:5],
            "ack_ms_p50": _ms(percentile(acks, 50)), "ack_ms_p99": _ms(percentile(acks, 99)),
            "slow_acks": sum(1 for a in acks if a >= SLACK_ACK_LIMIT),
            "answer_s_p50": _s(percentile(answers, 50)), "answer_s_p95": _s(percentile(answers, 95)),
            "throughput_per_s": round(len(answers) / span, 2) if span > 0 else None,
            "wall_s": round(span, 1)}


@contextlib.contextmanager
def chroma_run(path: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """A real ``chroma run`` on 127.0.0.1 and a free port, stopped on exit."""
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = _free_port()
    path.mkdir(parents=True, exist_ok=True)
    with open(path.parent / "chroma.log", "wb") as log:
        process = subprocess.Popen([chroma, "run", "--path", str(path), "--host", "127.0.0.1",
                                    "--port", str(port)], stdout=log, stderr=log)
    try:
        wait_for_port(port, 60, process)
        yield port, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def table(results: list[dict[str, Any]]) -> str:
    """A Markdown table, one column per mode."""
    rows = [("mentions / clients", lambda r: f"{r['events']} / {r['clients']}"),
            ("answered", lambda r: r["answered"]), ("of which \"not covered\"", lambda r: r["not_covered"]),
            ("errors", lambda r: r["errors"]),
            ("ack p50 / p99 (ms)", lambda r: f"{r['ack_ms_p50']} / {r['ack_ms_p99']}"),
            ("final answer p50 / p95 (s)", lambda r: f"{r['answer_s_p50']} / {r['answer_s_p95']}"),
            ("throughput (answers/s)", lambda r: r["throughput_per_s"]),
            ("peak RSS, bot (MB)", lambda r: r["peak_rss_mb"]),
            ("peak RSS, chroma run (MB)", lambda r: r.get("chroma_peak_rss_mb", "—"))]
    lines = ["| measure | " + " | ".join(r["mode"] for r in results) + " |",
             "|---|" + "---:|" * len(results)]
    lines += [f"| {label} | " + " | ".join(str(cell(r)) for r in results) + " |" for label, cell in rows]
    return "\n".join(lines)


def machine(load_at_start: list[float] | None = None) -> dict[str, Any]:
    """CPUs, load averages at the start and the end of the run, Python and platform."""
    return {"cpus": os.cpu_count(), "load_avg_1_5_15_at_start": load_at_start,
            "load_avg_1_5_15": load_average(), "python": platform.python_version(),
            "platform": platform.platform()}


def load_average() -> list[float] | None:
    """The 1, 5 and 15-minute load averages (what else the machine was doing); None where unknown."""
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.load_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=200, choices=range(1, 5001), metavar="N",
                        help="mentions to send, 1-5000 (default 200)")
    parser.add_argument("--clients", type=int, default=8, choices=range(1, 65), metavar="N",
                        help="concurrent clients, 1-64 (default 8)")
    parser.add_argument("--modes", default=",".join(MODES), help="embedded,server (default both)")
    parser.add_argument("--data-dir", type=Path, help="embedded mode: use the index already built here")
    parser.add_argument("--timeout", type=float, default=600, help="seconds allowed per mode (default 600)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if unknown := set(modes) - set(MODES):
        parser.error(f"unknown mode(s) {', '.join(sorted(unknown))}; use {' or '.join(MODES)}")
    load_at_start = load_average()
    with tempfile.TemporaryDirectory(prefix="assistant-load-") as tmp:
        results = [run_mode(mode, args.events, args.clients, Path(tmp), args.data_dir, args.timeout)
                   for mode in modes]
    report = {"modes": {r["mode"]: r for r in results}, "machine": machine(load_at_start)}
    print(table(results))
    print(f"\n{report['machine']['cpus']} CPUs, load average {load_at_start} at the start, "
          f"{report['machine']['load_avg_1_5_15']} at the end, Python {report['machine']['python']}")
    for r in results:
        for sample in r["error_samples"]:
            print(f"{r['mode']} error: {sample}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 1 if any(r["errors"] for r in results) else 0


def _questions() -> list[str]:
    questions = []
    for item in load_golden(PACKAGE_ROOT / "evals" / "test.jsonl"):
        with contextlib.suppress(UsageError):  # the bot would refuse it: no answer to time
            questions.append(clean_question(item.question))
    return questions


def _ingest(env: dict[str, str], data_dir: Path) -> None:
    subprocess.run([sys.executable, "-m", "assistant", "ingest"], check=True, capture_output=True,
                   env={**os.environ, **env, "ASSISTANT_DATA_DIR": str(data_dir)}, timeout=600)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def _s(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 2)


if __name__ == "__main__":
    sys.exit(main())

"""``assistant slack --http`` as a process: a clear line when it cannot start, memory that large
bodies do not grow, and a stop that finishes the answers in hand."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.settings import Settings
from tests.openai_server import Reply, ScriptedOpenAI, llm_env, openai_server  # noqa: F401 (fixtures)
from tests.slack_api_server import BotProcess, SlackApiServer, SlackSender, block_text, bot_env

pytest_plugins = ["tests.slack_api_server"]  # its fixtures: slack_api, start_bot, slack_bot

BIG = 10 * 1000 * 1000
GOOD = "The quorum is a majority of the States Parties [1]."
RSS_SLACK_MB = 50


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))) / 1024


def start_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assistant", "slack", "--http", "--host", "127.0.0.1", *args],
                          env=env, capture_output=True, text=True, timeout=120)


def test_a_port_in_use_is_one_line(slack_api: SlackApiServer, shipped_index: Settings) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = start_cli(bot_env(slack_api, shipped_index.data_dir), "--port", str(port))
    assert result.returncode == 1
    assert result.stderr.strip() == (f"error: port {port} on 127.0.0.1 is already in use; stop the program "
                                     "listening there or choose another port with --port")


def test_an_unreachable_redis_at_start_is_one_line_without_its_password(
        slack_api: SlackApiServer, shipped_index: Settings) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]  # nothing listens there once this closes
    env = bot_env(slack_api, shipped_index.data_dir, ASSISTANT_REDIS_URL=f"redis://:hunter2pw@127.0.0.1:{port}/0")
    result = start_cli(env, "--port", "0")
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(f"error: cannot reach Redis at redis://:***@127.0.0.1:{port}/0 (")
    assert "unset it" in result.stderr and "hunter2pw" not in result.stderr


def test_large_unsigned_bodies_get_401_and_leave_memory_as_it_was(
        slack_api: SlackApiServer, shipped_index: Settings, tmp_path: Path) -> None:
    env = bot_env(slack_api, shipped_index.data_dir, ASSISTANT_FEEDBACK_DB=str(tmp_path / "f.sqlite3"))
    with BotProcess(env) as bot:
        sender = SlackSender(bot.url, slack_api)
        sender.mention("What is the quorum?")  # the memory of a bot that has answered once
        slack_api.wait_calls("chat.update")
        time.sleep(0.5)
        idle = rss_mb(bot.process.pid)
        unsigned = [{"signature": "v0=" + "0" * 64}, {"timestamp": int(time.time()) - 3600}]
        statuses = [sender.post("x" * BIG, "application/json", **unsigned[n % 2]).status
                    for n in range(20)]  # half with a forged signature, half signed an hour ago
        after = rss_mb(bot.process.pid)
    assert statuses == [401] * 20
    assert after - idle < RSS_SLACK_MB, f"idle {idle:.0f} MB, after {after:.0f} MB"
    assert "Traceback" not in bot.log() and " ERROR " not in bot.log()


def test_sigterm_finishes_the_answers_in_hand_then_exits(
        slack_api: SlackApiServer, shipped_index: Settings, llm_env: ScriptedOpenAI, tmp_path: Path) -> None:
    env = bot_env(slack_api, shipped_index.data_dir, ASSISTANT_FEEDBACK_DB=str(tmp_path / "f.sqlite3"),
                  ASSISTANT_SLACK_WORKERS="2")
    with BotProcess(env) as bot:
        llm_env.script(*[Reply(GOOD, delay=2.0)] * 4)  # each answer takes two seconds to write
        warm_up = len(llm_env.requests)
        sender = SlackSender(bot.url, slack_api)
        assert all(sender.mention(f"What is the quorum, question {n}?")[1].status == 200 for n in range(4))
        slack_api.wait_for(lambda: len(llm_env.requests) >= warm_up + 2)  # two being written, two waiting
        bot.process.terminate()
        time.sleep(0.5)
        with pytest.raises(OSError):  # no longer accepting
            socket.create_connection(("127.0.0.1", bot.port), timeout=1).close()
        assert bot.process.wait(timeout=30) == 0
    finals = [c for c in slack_api.calls_to("chat.update") if "*Sources*" in block_text(c.params["blocks"])]
    assert len(finals) == 4
    assert re.search(r"stopping: finishing [1-4] answers first", bot.log())
    assert bot.log().rstrip().endswith("stopped")

"""The Slack load benchmark (evals/load_bench.py) runs end to end, with tiny numbers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.settings import PACKAGE_ROOT, Settings

pytestmark = pytest.mark.slow


def test_ten_mentions_from_two_clients_are_all_answered_without_errors(shipped_index: Settings,
                                                                       tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ASSISTANT_"))}
    result = subprocess.run([sys.executable, "-m", "evals.load_bench", "--events", "10", "--clients", "2",
                             "--modes", "embedded", "--data-dir", str(shipped_index.data_dir),
                             "--timeout", "120", "--json", str(out)],
                            cwd=PACKAGE_ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr
    measured = json.loads(out.read_text())["modes"]["embedded"]
    assert measured["errors"] == 0 and measured["answered"] == 10
    assert measured["ack_ms_p99"] < 3000 and measured["peak_rss_mb"] > 0
    assert "| answered | 10 |" in result.stdout

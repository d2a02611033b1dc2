"""Quality gates: ``evals/thresholds.toml`` holds the least each metric may be.

``[min]`` metrics must be at least their value; ``[max]`` metrics (such as the
false refusal rate) at most.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from assistant.errors import UsageError


def load_thresholds(path: Path) -> dict[str, dict[str, float]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"no thresholds file at {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path} is not valid TOML: {exc}") from None
    return {"min": data.get("min", {}), "max": data.get("max", {})}


def violations(metrics: dict[str, float | None], thresholds: dict[str, dict[str, float]]) -> list[str]:
    """One line per metric on the wrong side of its threshold."""
    found = []
    for name, least in thresholds["min"].items():
        value = metrics.get(name)
        if value is None or value < least:
            found.append(f"{name} = {_fmt(value)} is below its threshold {least}")
    for name, most in thresholds["max"].items():
        value = metrics.get(name)
        if value is None or value > most:
            found.append(f"{name} = {_fmt(value)} is above its threshold {most}")
    return found


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"

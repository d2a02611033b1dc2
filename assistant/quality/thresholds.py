"""Quality gates: ``evals/thresholds.toml`` holds the least (or most) each metric may be.

``[min]`` metrics must be at least their value and ``[max]`` metrics (such as the false
refusal rate) at most, over all questions; ``[lang.<code>.min]`` and
``[class."<class>/<code>".min]`` (and their ``max``) gate one language or one class.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from assistant.errors import UsageError

Gates = dict[str, dict[str, dict[str, float]]]  # scope -> "min"/"max" -> metric -> value


def load_thresholds(path: Path) -> Gates:
    """``{"all": {"min": …, "max": …}, "en": {…}, "near-miss/fr": {…}}``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"no thresholds file at {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path} is not valid TOML: {exc}") from None
    gates = {"all": _bounds(data)}
    for table in ("lang", "class"):
        gates.update({scope: _bounds(values) for scope, values in data.get(table, {}).items()})
    return gates


def _bounds(table: dict) -> dict[str, dict[str, float]]:
    return {"min": table.get("min", {}), "max": table.get("max", {})}


def violations(result: dict, gates: Gates) -> list[str]:
    """One line per metric on the wrong side of its threshold (a scope with no question fails)."""
    found = []
    for scope, bounds in gates.items():
        metrics = _scope_metrics(result, scope)
        where = "" if scope == "all" else f" ({scope})"
        for name, least in bounds["min"].items():
            value = metrics.get(name)
            if value is None or value < least:
                found.append(f"{name}{where} = {_fmt(value)} is below its threshold {least}")
        for name, most in bounds["max"].items():
            value = metrics.get(name)
            if value is None or value > most:
                found.append(f"{name}{where} = {_fmt(value)} is above its threshold {most}")
    return found


def _scope_metrics(result: dict, scope: str) -> dict:
    if scope == "all":
        return result["metrics"]
    return result.get("by_lang", {}).get(scope) or result.get("by_class", {}).get(scope) or {}


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"

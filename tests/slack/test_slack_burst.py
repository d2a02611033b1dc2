"""A burst: 30 mentions at once, each acknowledged within Slack's 3 seconds, each answered once.

Prints the measured time to acknowledge (p50/p99), to the placeholder and to the final
answer; only the 3-second contract is asserted, the rest is a report.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from assistant.slack.app import warm_up
from tests.slack_api_server import Bot

pytest_plugins = ["tests.slack_api_server"]  # its fixtures: slack_api, start_bot, slack_bot

BURST = 30
SLACK_ACK_LIMIT = 3.0
QUESTIONS = [
    "Who provides the secretariat of the Conference of the Parties?",
    "What is the quorum for taking a decision?",
    "How early must the provisional agenda be circulated?",
    "Which resolution established the review mechanism?",
    "Who can attend the sessions as an observer?",
    "Quel est le quorum requis pour prendre une décision ?",
    "Qui assure le secrétariat de la CP ?",
    "How often does the Conference meet?",
    "What languages are official at the Conference?",
    "Comment les décisions sont-elles prises ?",
]


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def test_thirty_mentions_at_once_get_thirty_answers_each_in_its_own_thread(
        slack_bot: Bot, shipped_assistant: Any) -> None:
    warm_up(shipped_assistant)  # as `assistant slack` does before it connects
    barrier = threading.Barrier(BURST)

    def send(n: int) -> tuple[dict, Any, float]:
        barrier.wait()
        sent = time.perf_counter()
        event, delivery = slack_bot.slack.mention(QUESTIONS[n % len(QUESTIONS)], user=f"U0USER{n:02d}")
        return event, delivery, sent

    with ThreadPoolExecutor(BURST) as pool:
        results = list(pool.map(send, range(BURST)))
    updates = slack_bot.api.wait_calls("chat.update", BURST, timeout=60)

    acks = [delivery.seconds for _, delivery, _ in results]
    assert all(delivery.status == 200 for _, delivery, _ in results)
    sent_at = {event["ts"]: sent for event, _, sent in results}
    placeholder_at = {c.params["thread_ts"]: c.at for c in slack_bot.api.calls_to("chat.postMessage")}
    thread_of = {m["ts"]: m.get("thread_ts") for m in slack_bot.api.messages["C0GENERAL"]}
    answer_at = {thread_of[u.params["ts"]]: u.at for u in updates}
    assert len(updates) == len(answer_at) == len(placeholder_at) == BURST  # one answer per thread
    assert set(answer_at) == set(sent_at)  # each in the thread of its own mention
    time.sleep(0.3)
    assert len(slack_bot.api.calls_to("chat.update")) == BURST  # and none twice

    to_placeholder = [placeholder_at[ts] - sent for ts, sent in sent_at.items()]
    to_answer = [answer_at[ts] - sent for ts, sent in sent_at.items()]
    print(f"\n{BURST} mentions at once: "
          f"ack p50 {percentile(acks, .5) * 1000:.0f} ms, p99 {percentile(acks, .99) * 1000:.0f} ms; "
          f"placeholder p50 {percentile(to_placeholder, .5) * 1000:.0f} ms, "
          f"p99 {percentile(to_placeholder, .99) * 1000:.0f} ms; "
          f"final answer p50 {percentile(to_answer, .5):.2f} s, p99 {percentile(to_answer, .99):.2f} s")
    assert max(acks) < SLACK_ACK_LIMIT

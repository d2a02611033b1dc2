"""What the bot does with each Slack event, command and button: decide, then hand off.

Every listener returns at once (events are acknowledged before they run, commands and
buttons call ``ack()`` first); whatever calls Slack or answers runs on the
``Responder``'s workers.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

from assistant.corpus.language import question_language
from assistant.slack.blocks import POST_ACTION, VOTE_ACTIONS, answer_text, notice, with_feedback_note
from assistant.slack.carry import unpack
from assistant.slack.config import SlackConfig
from assistant.slack.dedup import Deduplicator, Seen, event_keys
from assistant.slack.mrkdwn import question_text
from assistant.slack.phrases import say
from assistant.slack.responder import Reply, Responder, refusal
from assistant.slack.threads import Thread, from_replies

LOG = logging.getLogger("assistant.slack")
ANSWERED_SUBTYPES = {None, "thread_broadcast", "file_share"}  # edits, joins, bots… are ignored
USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
COURTESY = set("""thanks thank you thx ty cheers ok okay great perfect nice cool noted got it
    merci beaucoup parfait super génial entendu noté d accord top""".split())
LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)


class Listeners:
    """The bot's listeners, sharing de-duplication, thread memory and the responder."""

    def __init__(self, config: SlackConfig, responder: Responder, dedup: Seen | None = None) -> None:
        self.config = config
        self.responder = responder
        self.store = responder.store
        self.conversations = responder.conversations
        self.dedup = dedup or Deduplicator()
        self._declined: set[str] = set()
        self._lock = threading.Lock()

    def register(self, app: Any) -> None:
        """Attach the listeners to a Bolt ``App``."""
        app.event("app_mention")(self.on_event)
        app.event("message")(self.on_event)
        app.command("/ask")(self.on_ask)
        app.action(VOTE_ACTIONS["up"])(self.on_vote)
        app.action(VOTE_ACTIONS["down"])(self.on_vote)
        app.action(POST_ACTION)(self.on_post)

    def on_event(self, body: dict, event: dict, context: Any, client: Any) -> None:
        """A mention, a direct message, or a reply in a thread the bot answered."""
        if event.get("subtype") in ANSWERED_SUBTYPES and not event.get("bot_id"):
            if self.dedup.first(*event_keys(body, event)):
                self.responder.background(self._route, event, context.bot_user_id, client)

    def on_ask(self, ack: Any, command: dict, respond: Any) -> None:
        """``/ask question``: a private answer that restates the question, with "Post to channel"."""
        question = question_text(command.get("text", ""))
        lang = question_language(question) if question else "en"
        channel, user = command.get("channel_id", ""), command.get("user_id", "")
        if problem := refusal(question, lang):
            ack(response_type="ephemeral", text=problem)
        elif not self.config.allows(channel):
            ack(response_type="ephemeral", text=say("not_here", lang))
        elif not self.responder.answers.admit():
            LOG.info("busy: asked %s to try /ask again later", channel)
            ack(response_type="ephemeral", text=say("busy", lang))
        else:
            ack(response_type="ephemeral", text=say("looking", lang), blocks=notice(say("looking", lang)))
            self.responder.reply_ephemeral(question, respond, channel, user)

    def on_vote(self, ack: Any, body: dict, action: dict, client: Any, respond: Any) -> None:
        """👍 / 👎: store the vote with the answer, then show the tally under the buttons."""
        ack()
        self.responder.background(self._vote, body, action, client, respond)

    def on_post(self, ack: Any, body: dict, action: dict, respond: Any) -> None:
        """"Post to channel" under an /ask answer."""
        ack()
        user = body["user"]
        self.responder.background(self.responder.publish, unpack(action["value"]),
                                  (body.get("channel") or {}).get("id", ""), user["id"],
                                  user.get("name") or user.get("username") or user["id"], respond)

    def _vote(self, body: dict, action: dict, client: Any, respond: Any) -> None:
        vote = "up" if action["action_id"] == VOTE_ACTIONS["up"] else "down"
        carried = unpack(action["value"])
        message = body.get("message") or {}
        answer = self.store.answer(carried.answer_id) or carried.answer(answer_text(message))
        channel = (body.get("channel") or {}).get("id")
        container = body.get("container") or {}
        tally = self.store.record_vote(carried.answer_id, vote, body["user"]["id"], channel,
                                       container.get("message_ts"), known=answer)
        if answer is None or tally is None:
            respond(response_type="ephemeral", replace_original=False, text=say("expired", "en"))
        elif container.get("is_ephemeral") or not message:
            respond(response_type="ephemeral", replace_original=False,
                    text=say("vote_saved", answer.language, vote="👍" if vote == "up" else "👎"))
        else:
            client.chat_update(channel=channel, ts=message["ts"], text=message.get("text", ""),
                               blocks=with_feedback_note(message["blocks"], *tally, answer.language))

    def _route(self, event: dict, bot_user_id: str, client: Any) -> None:
        channel, ts, text = event["channel"], event["ts"], event.get("text", "")
        thread_ts = event.get("thread_ts")
        direct = event.get("channel_type") == "im" or channel.startswith("D")
        mentioned = event["type"] == "app_mention" or bot_user_id in USER_MENTION.findall(text)
        if not (direct or mentioned):
            history = self._follow_up(event, bot_user_id, client)
            if history is None:
                return
        elif not self.config.allows(channel):
            self._decline_once(channel, ts, text)
            return
        else:
            thread = self._thread(client, channel, thread_ts, ts, bot_user_id) if thread_ts else (
                self.conversations.lookup(channel, None) if direct else None)
            history = thread.questions if thread else []
        where = Reply(channel, thread_ts or (None if direct else ts), event.get("user"))
        self.responder.reply(where, question_text(text, bot_user_id), history)

    def _follow_up(self, event: dict, bot_user_id: str, client: Any) -> list[str] | None:
        """The thread's earlier questions if this reply is a follow-up to the bot, else None."""
        channel, thread_ts, text = event["channel"], event.get("thread_ts"), event.get("text", "")
        if not thread_ts or thread_ts == event["ts"]:
            return None
        if not (self.config.allows(channel) and self.config.follows_up_in(channel)):
            return None
        if USER_MENTION.search(text) or is_courtesy(question_text(text)):
            return None  # people talking to each other, or thanking the bot
        thread = self._thread(client, channel, thread_ts, event["ts"], bot_user_id)
        return thread.questions if thread and thread.answered else None

    def _thread(self, client: Any, channel: str, thread_ts: str, before_ts: str,
                bot_user_id: str) -> Thread | None:
        """The thread from memory, else rebuilt from ``conversations.replies`` (and remembered)."""
        thread = self.conversations.lookup(channel, thread_ts)
        if thread is not None:
            return thread
        try:
            replies = client.conversations_replies(channel=channel, ts=thread_ts, limit=200)
        except Exception as exc:
            LOG.warning("conversations.replies in %s failed: %s", channel, type(exc).__name__)
            return None
        thread = from_replies(replies.get("messages", []), bot_user_id, before_ts)
        self.conversations.learn(channel, thread_ts, thread.answered, thread.questions)
        return thread

    def _decline_once(self, channel: str, ts: str, text: str) -> None:
        with self._lock:
            if channel in self._declined:
                return
            self._declined.add(channel)
        self.responder.post(Reply(channel, ts), say("not_here", question_language(question_text(text))))


def is_courtesy(text: str) -> bool:
    """"Thanks!", "merci 👍", "ok": a reply that needs no answer."""
    words = [word.lower() for word in LETTERS.findall(text.replace("’", "'"))]
    return len(words) <= 4 and all(word in COURTESY for word in words)

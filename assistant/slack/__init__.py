"""Slack front end: events, /ask and buttons in, Block Kit answers out.

Only ``app``, ``listeners`` and ``server`` import slack_bolt; the answering
service knows nothing about Slack.
"""

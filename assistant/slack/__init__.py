"""Slack front end: events, /ask and buttons in, Block Kit answers out.

Takes Slack's requests (Socket Mode or signed HTTP); gives threaded answers through the
answering service. Imports ``corpus``, ``index`` and ``answers``, never ``cli`` or
``quality``; only ``app``, ``listeners`` and ``server`` import slack_bolt.
"""

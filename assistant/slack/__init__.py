"""Slack front end: events, /ask and buttons in, Block Kit answers out.

Takes Slack's requests (Socket Mode, or signed HTTP through ``guard`` and uvicorn in
``server``); gives threaded answers through the answering service, several at a time
(``pool``), remembering what it saw in the process or, across replicas, in Redis
(``shared``). Imports ``corpus``, ``index`` and ``answers``, never ``cli`` or ``quality``;
only ``app`` and ``server`` import slack_bolt, only ``server`` uvicorn, only ``shared``
redis (when ``ASSISTANT_REDIS_URL`` is set).
"""

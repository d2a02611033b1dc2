"""Answers: a question in, a cited ``Answer`` out (the service every front end calls).

Takes a question and the index in use; gives hybrid retrieval, the extractive composer,
LLM generation with its citation guard, and text/JSON presentation.
Imports ``corpus`` and ``index``; never ``quality``, ``cli``, ``slack``, click or slack_bolt.
"""

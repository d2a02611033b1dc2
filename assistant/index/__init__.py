"""The index: chunks made searchable, one complete version at a time.

Takes ``Chunk``s from ``corpus``; gives index versions (Chroma vectors + BM25 keyword
index), the atomic switch between them, and a reader for the version in use.
Imports ``corpus`` only; never ``answers``, ``quality``, ``cli`` or ``slack``.
"""

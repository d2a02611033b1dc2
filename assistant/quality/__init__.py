"""Quality: how good the answers are, measured against golden questions.

Takes golden sets and the answering service; gives metrics per language and class,
thresholds that gate CI, the tutorial baseline, benchmarks and Markdown reports.
Imports ``corpus``, ``index`` and ``answers``; never ``cli``, ``slack`` or click.
"""

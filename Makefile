# The two commands a new user runs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install system-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# The CPU build of torch first, or pip pulls a multi-GB CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[st,dev]'
	touch $(STAMP)

# Debian's redis-server, for the tests of Slack replicas sharing memory (apt-get where missing).
system-deps:
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "installing redis-server (Debian package) for the Slack replica tests"; \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends redis-server >/dev/null; }

install: $(STAMP) system-deps

demo: $(STAMP)
	$(BIN)/assistant ingest
	$(BIN)/assistant ask "Qui assure le secrétariat de la CP ?"
	$(BIN)/assistant ask "Which resolution established the review mechanism?"

test: $(STAMP) system-deps
	$(BIN)/ruff check assistant tests
	$(BIN)/mypy assistant
	# The quality gate: tune and test sets against evals/thresholds.toml (the test set is gated), beside the baseline.
	ASSISTANT_DATA_DIR=$$(mktemp -d) $(BIN)/assistant eval --baseline --report eval-report.md
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV)

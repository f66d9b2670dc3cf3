# Two commands on a fresh machine with Python 3.11:
#   make demo   create .venv, install newsevents and its pinned dependencies, code the bundled demo corpus
#   make test   install and run the test suite
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo.duckdb

.PHONY: install demo test system-deps perf-report clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# Python 3.11's bundled pip is too old for some wheels (trafilatura's lxml_html_clean); upgrade first
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25"
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/newsevents demo
	@echo
	@echo "Storing the demo corpus in the embedded DuckDB store ($(DEMO_DB)):"
	$(BIN)/newsevents ingest src/newsevents/data/demo/wikinews-demo.jsonl --db $(DEMO_DB)
	$(BIN)/newsevents clusters --db $(DEMO_DB) --min-articles 2 --limit 5
	$(BIN)/newsevents dyad USA IRN --db $(DEMO_DB) --by month
	@echo
	@echo "See it in a browser:  $(BIN)/newsevents serve --db $(DEMO_DB)"
	@echo "then open http://127.0.0.1:8000/  (the USA-Iran dyad: http://127.0.0.1:8000/dyads/USA/IRN)"

test: install
	$(BIN)/python -m pytest -q

# Debian packages the tests use: a PostgreSQL server (the storage tests start their own) and
# Chromium (the browser tests drive it with Playwright). Needs root or sudo; skipped when present.
system-deps:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then \
		echo "postgresql: present"; \
	else \
		SUDO=$$( [ "$$(id -u)" = 0 ] && echo "" || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql >/dev/null; \
	fi
	@if [ -x /usr/bin/chromium ]; then \
		echo "chromium: present"; \
	else \
		SUDO=$$( [ "$$(id -u)" = 0 ] && echo "" || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

# Regenerate docs/performance.md (about 15 minutes; run on a quiet machine)
perf-report: install
	$(BIN)/newsevents bench --corpus demo --corpus ../shared/corpora/wikinews-articles --repeat 3 --markdown docs/performance.md

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache

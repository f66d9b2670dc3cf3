# Two commands on a fresh machine with Python 3.11:
#   make demo   create .venv, install newsevents and its pinned dependencies, code the bundled demo corpus
#   make test   install and run the test suite
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# Python 3.11's bundled pip is too old for some wheels (trafilatura's lxml_html_clean); upgrade first
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25"
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/newsevents demo

test: install
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache

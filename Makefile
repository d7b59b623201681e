# Quick start:  make run   (set up and open the app)   |   make test   (set up and run every test)
VENV   ?= .venv
PYTHON ?= python3
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed

.PHONY: setup run test lint clean translations

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(VENV)/bin/heritage-tagger $(if $(CATALOGUE),--catalogue "$(CATALOGUE)") gui

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy heritage_tagger

test: setup lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

# the French translation: collect the GUI's strings into the .ts (kept, with its translations), then compile
# the .qm the app loads (both committed; see docs/TRANSLATIONS.md)
TS = resources/i18n/heritage_tagger_fr.ts
translations: setup
	$(VENV)/bin/pyside6-lupdate -locations none $$(find heritage_tagger/gui -name '*.py' | sort) \
		-source-language en -target-language fr_FR -no-obsolete -ts $(TS)
	$(VENV)/bin/pyside6-lrelease $(TS) -qm $(TS:.ts=.qm)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache

# procreg: the two commands are `make demo` and `make test`; everything else helps them.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test system-packages lint typecheck i18n bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	@# -qq: errors only. An editable install of a package mapped onto the repository root makes setuptools
	@# print an informational notice on every install, and a machine's pip configuration may name package
	@# folders it lacks; neither says anything to a user of procreg.
	$(BIN)/pip install -qq --upgrade pip
	@# The ocr extra is pure pip (OCRmyPDF, img2pdf, numpy); OCR tests still skip without Tesseract.
	PYTHONWARNINGS=ignore $(BIN)/pip install -qq -e '.[dev,ocr]'
	@touch $(STAMP)

# Graphviz, LibreOffice, OCRmyPDF + Tesseract (Vietnamese), Chromium, Poppler: installed with apt-get when
# run as root on Debian/Ubuntu, otherwise named in one line (their tests skip). PROCREG_NO_APT=1: never.
system-packages:
	@bash tools/system-packages.sh

# The demo speaks Vietnamese whatever the machine's locale says (PROCREG_LANG=en for English).
demo: export PROCREG_LANG := $(or $(PROCREG_LANG),vi)
demo: system-packages $(STAMP)
	@PATH="$(CURDIR)/$(BIN):$$PATH" bash samples/demo.sh

test: system-packages $(STAMP)
	$(BIN)/ruff check .
	@$(MAKE) --no-print-directory typecheck
	$(BIN)/pytest -q

# mypy checks the package by its import name: a `procreg` symlink to the repository root, kept in .venv.
typecheck: $(STAMP)
	@mkdir -p $(VENV)/typecheck && ln -sfn ../.. $(VENV)/typecheck/procreg
	cd $(VENV)/typecheck && ../bin/mypy --config-file ../../pyproject.toml

# Message catalogs: extract procreg's and click's messages, merge them into the Vietnamese catalog, compile.
# Translate the new entries in locale/vi/LC_MESSAGES/procreg.po between `make i18n` runs.
CLICK_SRC = $(shell $(BIN)/python -c "import click, os; print(os.path.dirname(click.__file__))")
I18N_SOURCES = cli.py cli_support.py __init__.py i18n.py registry parsers procedures index presentation text $(wildcard web)
i18n: $(STAMP)
	$(BIN)/pybabel -q extract --no-location --sort-output --omit-header -F babel.cfg \
	    -k N_ -k ngettext:1,2 -o locale/procreg.pot $(I18N_SOURCES) $(CLICK_SRC)
	$(BIN)/pybabel -q update --no-fuzzy-matching --ignore-pot-creation-date -D procreg -l vi \
	    -i locale/procreg.pot -d locale
	$(BIN)/pybabel compile --statistics -D procreg -d locale

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@$(MAKE) --no-print-directory typecheck

bench: $(STAMP)
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .procreg build *.egg-info .pytest_cache .mypy_cache .ruff_cache demo-out

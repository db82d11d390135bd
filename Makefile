# procreg: the two commands are `make demo` and `make test`; everything else helps them.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@# An editable install of a package mapped onto the repository root makes setuptools print an
	@# informational notice on every install; the build backend's warnings add nothing for a user here.
	@# The ocr extra is pure pip (OCRmyPDF, img2pdf, numpy); OCR tests still skip without Tesseract.
	PYTHONWARNINGS=ignore $(BIN)/pip install --quiet -e '.[dev,ocr]'
	@touch $(STAMP)

demo: $(STAMP)
	@PATH="$(CURDIR)/$(BIN):$$PATH" bash samples/demo.sh

test: $(STAMP)
	$(BIN)/ruff check .
	@$(MAKE) --no-print-directory typecheck
	$(BIN)/pytest -q

# mypy checks the package by its import name: a `procreg` symlink to the repository root, kept in .venv.
typecheck: $(STAMP)
	@mkdir -p $(VENV)/typecheck && ln -sfn ../.. $(VENV)/typecheck/procreg
	cd $(VENV)/typecheck && ../bin/mypy --config-file ../../pyproject.toml

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@$(MAKE) --no-print-directory typecheck

bench: $(STAMP)
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .procreg build *.egg-info .pytest_cache .mypy_cache .ruff_cache demo-out

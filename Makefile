# Two commands a newcomer needs: `make serve` and `make test`. Everything else is set-up they call.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: serve test build setup browser bench clean

serve: setup
	$(PY) build.py serve --port $(PORT)

test: setup browser
	$(PY) -m pytest

build: setup
	$(PY) build.py

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Playwright's own Chromium where it can be downloaded; Debian's /usr/bin/chromium where it cannot.
browser: $(VENV)/.installed
	@if [ -x /usr/bin/chromium ]; then echo "browser: using /usr/bin/chromium"; \
	else $(PY) -m playwright install chromium; fi

bench: setup browser
	$(PY) bench/run_all.py

clean:
	rm -rf site $(VENV) node_modules .pytest_cache .hypothesis

# reindus — two commands do all the set-up: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
GPKG := data/build/reindus.gpkg
LEAFLET := static/vendor/leaflet/leaflet.js
FONTS := static/vendor/fonts/Inter-Regular.ttf
PORT ?= 8501
# apt needs root; use sudo when not root (CI runs as root).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_TEST_PACKAGES := chromium chromium-driver postgresql-15-postgis-3 nginx poppler-utils

.PHONY: run install data test check fuzz test-deps bench lint clean
# Test workers (pytest-xdist): for the whole suite one a core and one more, for the browser tests wait on their app
# and on Chromium (two cores: 650 s with 2 workers, 562 s with 3, 594 s with 4; again with the files in order, from a
# fresh clone: 580 s with 3, 614 s with 4); for `make check`, whose tests only
# compute, one a core (52 s with 2, 55 s with 3). Files stay whole on a worker: a module's app server starts once.
# Files run in the order tests/conftest.py gives (those that need no build first, while the build is made);
# xdist's default would order them by their number of tests, and workers waited on the build for 80 s.
PYTEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
CHECK_WORKERS ?= auto
PYTEST_PARALLEL := -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder
FUZZ_SECONDS ?= 600
LINTED := geo layers app_pages app.py cli.py tests bench scripts

# `reindus build` publishes the map's tiles into static/tiles/ (the app only reads); publish-tiles repeats it for a
# build made before that. Nothing else writes into the code tree after installation.
run: install data  ## install, build the data if missing or stale, start the app on http://localhost:8501
	$(BIN)/reindus publish-tiles
	$(BIN)/python -m app_pages.serve --server.port $(PORT)

install: $(VENV)/.installed $(LEAFLET) $(FONTS)

# uv (from PyPI) installs the packages, compiled to bytecode as pip does (else every test process compiles what it
# imports, and a package's old escape sequences fail the tests' warnings-as-errors): 19 s where pip took 45 s.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv
	$(UV) pip install --quiet --compile-bytecode --python $(BIN)/python -e .
	touch $@

# Leaflet, protomaps-leaflet (vector tiles) and every map asset are served by the app itself (no CDN): from the npm registry, not committed.
$(LEAFLET): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/vendor && mkdir -p static/vendor
	cp -r node_modules/leaflet/dist static/vendor/leaflet
	mkdir -p static/vendor/protomaps-leaflet
	cp node_modules/protomaps-leaflet/dist/protomaps-leaflet.js node_modules/protomaps-leaflet/LICENSE static/vendor/protomaps-leaflet/
	touch $@

# Inter (OFL) for the app and the press maps: WOFF2 for the browser, TrueType for matplotlib.
$(FONTS): $(LEAFLET) $(VENV)/.installed scripts/vendor_fonts.py
	$(BIN)/python scripts/vendor_fonts.py node_modules/inter-ui static/vendor/fonts >/dev/null

data: $(GPKG)

$(GPKG): $(VENV)/.installed $(wildcard geo/assembly/*.py geo/analysis/projects.py data/*.csv data/*.yaml)
	$(BIN)/reindus build

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(UV) pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[test]'
	touch $@

test-deps: install $(VENV)/.installed-test  ## Debian chromium + chromium-driver, PostgreSQL 15 + PostGIS 3
	@missing=""; for p in $(APT_TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installation de :$$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	fi

test: test-deps  ## check the curated data, then run the whole suite (the tests make their own build; the 25 slowest listed)
	$(BIN)/reindus check-data
	$(BIN)/python -m pytest -ra --durations=25 $(PYTEST_PARALLEL)

check: install $(VENV)/.installed-test  ## the edit-test loop: lint, then the tests of the code (no browser, page run, database or long render)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/python -m pytest -q -n $(CHECK_WORKERS) --dist loadfile --no-loadscope-reorder -m "not browser and not pages and not database and not slow"

fuzz: $(VENV)/.installed-test  ## property tests with new random examples, for FUZZ_SECONDS at most (outside CI)
	HYPOTHESIS_PROFILE=fuzz timeout --signal=INT $(FUZZ_SECONDS) $(BIN)/python -m pytest -q -m hypothesis; \
	  status=$$?; [ $$status -eq 0 ] || [ $$status -eq 2 ] || exit $$status

bench: test-deps data  ## the benchmarks need the test tools too (Chromium, PostgreSQL/PostGIS, nginx)
	$(BIN)/python -m bench

lint: $(VENV)/.installed-test
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

clean:
	rm -rf data/build static/vendor static/tiles node_modules

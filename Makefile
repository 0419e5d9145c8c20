# The project's interface: `make help` lists every command.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_BASE ?= python3
VENV        ?= .venv
PY          := $(VENV)/bin/python
DBT         := $(VENV)/bin/dbt
STAMP       := $(VENV)/.installed

export TIKTOK_RAW_DIR   ?= $(CURDIR)/data/sample
export TIKTOK_BUILD_DIR ?= $(CURDIR)/build
export TIKTOK_WAREHOUSE ?= $(CURDIR)/warehouse.duckdb
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_TARGET_PATH  := $(TIKTOK_BUILD_DIR)/target
export DBT_LOG_PATH     := $(TIKTOK_BUILD_DIR)/logs
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1
export SEND_ANONYMOUS_USAGE_STATS := no

.PHONY: help build ingest test test-fast venv sample lint fix docs reports ml publish bench clean clean-all lock \
	venv-spark build-spark test-spark test-duckdb enrich enrich-ytdlp screenshot

help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'

# The project's own packages (ml, scripts, ...) are installed editable, so tests and tools import
# them like any user would (pyproject.toml).
$(STAMP): requirements.txt pyproject.toml
	$(PYTHON_BASE) -m venv $(VENV)
	$(PY) -m pip install --quiet pip==26.3
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP) ## Create .venv with the exact pinned versions (requirements.txt)

build: venv ## Build the warehouse: sample data if needed, dbt build, ML, scored marts, report, publish (after a complete build only what changed; BUILD_ARGS=--all for everything)
	$(PY) scripts/warehouse.py build $(BUILD_ARGS)

ingest: venv ## Land the raw folder as Parquet for dbt: walk, unpack ZIPs, manifest, landed tables (docs/ingest.md)
	$(PY) -m ingest

test: test-duckdb test-spark ## Run every test: the suite on DuckDB, then the same project on local Spark compared table by table (Java 17)

# pytest with these arguments; its exit 5 means no tests ran: that is a broken run, not a pass.
pytest_or_fail = $(1) -m pytest $(2); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "make $@: pytest collected no tests" >&2; exit 1; fi; exit $$rc

test-duckdb: venv ## The test suite on DuckDB (pytest: dbt build + tests, sqlfluff, ML, reports, benchmarks)
	@$(call pytest_or_fail,$(PY),$(PYTEST_ARGS))

# The inner loop: the Python unit tests, one sample build (every dbt model, data test and unit
# test, the ML step, the report) with the checks that read it, ruff, and sqlfluff on the models
# changed against main. Skips the tests that build extra warehouses (slow), the browser and Spark.
# Two pytest-xdist workers: each builds its own sample warehouse in its own temp dir, and the
# builds overlap the unit tests (faster on two cores than one process; docs/testing.md).
FAST_WORKERS ?= 2
test-fast: venv ## The fast tier (minutes): unit tests, one sample build with its tests, lint of what changed
	@$(call pytest_or_fail,TIKTOK_LINT_CHANGED_ONLY=1 $(PY),-n $(FAST_WORKERS) -m "not slow and not browser and not spark" $(PYTEST_ARGS))

sample: venv ## Regenerate the committed sample data (deterministic)
	$(PY) scripts/generate_sample_data.py --seed 42 --scale 1 --out data/sample

lint: venv ## ruff (lint + format check) on the Python, sqlfluff on every model and analysis
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) scripts/warehouse.py prepare --no-ingest >/dev/null
	$(PY) scripts/warehouse.py exec -- $(VENV)/bin/sqlfluff lint models analyses

fix: venv ## Both fixers: ruff (lint fixes + format) and sqlfluff fix (rewrite files in place)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(PY) scripts/warehouse.py prepare --no-ingest >/dev/null
	$(PY) scripts/warehouse.py exec -- $(VENV)/bin/sqlfluff fix models analyses

# Enrichment: the one step that uses the network, and only when asked (README: use your own data).
# It reads the video ids of the last build (building first when there is none), looks them up,
# caches every answer in TIKTOK_CACHE_DIR (outside the build dir: `make clean` keeps it) and
# writes $(TIKTOK_BUILD_DIR)/enrichment/video_metadata.csv for the next `make build`.
enrich: venv ## Look up captions, hashtags, authors and sounds of the videos your export links to (network; sends only video ids), for the next make build. ENRICH_ARGS='--dry-run', '--max-videos 2000', ... (python -m enrich --help)
	$(PY) -m enrich --build-if-missing $(ENRICH_ARGS)

# yt-dlp is optional: pinned in requirements-enrich.txt, installed only by this target.
ENRICH_STAMP := $(VENV)/.installed-enrich
$(ENRICH_STAMP): $(STAMP) requirements-enrich.txt
	$(PY) -m pip install --quiet -r requirements-enrich.txt
	touch $(ENRICH_STAMP)

enrich-ytdlp: $(ENRICH_STAMP) ## Add the pinned yt-dlp to .venv (ENRICH_ARGS='--backend ytdlp' for music artists, '--list-own-videos' for your own public videos)

ml: venv ## Retrain the models on the current build and rewrite the scores (seeds, Parquet)
	$(PY) -m ml run

publish: venv ## Publish the current build file to TIKTOK_WAREHOUSE (atomic replace)
	$(PY) scripts/warehouse.py publish

# dbt reads no raw file when it compiles: docs (and lint) need no ingest and no raw folder.
docs: venv ## Build dbt's docs site into $(TIKTOK_BUILD_DIR)/target (open index.html)
	$(PY) scripts/warehouse.py prepare --no-ingest >/dev/null
	$(PY) scripts/warehouse.py exec -- $(DBT) docs generate
	@echo "docs: $(DBT_TARGET_PATH)/index.html  (serve: $(DBT) docs serve)"

reports: venv ## Render the static HTML report from the published warehouse
	$(PY) scripts/warehouse.py report -- --db "$(TIKTOK_WAREHOUSE)"

screenshot: venv ## Screenshot the sample's real-shaped account page in headless Chromium into docs/ (after make build; SCREENSHOT_ARGS='--page ... --out ...')
	$(PY) scripts/screenshot_report.py $(SCREENSHOT_ARGS)

lock: ## Regenerate requirements.txt from requirements.in in a fresh venv
	rm -rf .venv-lock && $(PYTHON_BASE) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -r requirements.in
	{ echo "# Full lock of requirements.in (generated by 'make lock'; do not edit by hand)."; \
	  .venv-lock/bin/pip freeze; } > requirements.txt
	rm -rf .venv-lock

# BENCH_ARGS e.g. '--scales 1,3,10 --runs 2' (defaults: scales 10,50,250, 3 runs; see --help).
bench: venv ## Benchmark dbt vs raw DuckDB vs pandas at 3 data sizes; writes docs/benchmarks.{json,md}
	$(PY) -m scripts.benchmark $(BENCH_ARGS)

# ---------------------------------------------------------------- Apache Spark
# The Spark extras (requirements-spark.txt) go into the same venv, only through these targets:
# `make build` never installs or starts Spark. Spark builds into its own dir (build-spark/:
# warehouse dir, Derby metastore, dbt target), reading the same raw folder.
SPARK_BUILD_DIR ?= $(CURDIR)/build-spark
SPARK_STAMP     := $(VENV)/.installed-spark

$(SPARK_STAMP): $(STAMP) requirements-spark.txt
	$(PY) -m pip install --quiet -r requirements-spark.txt
	touch $(SPARK_STAMP)

venv-spark: $(SPARK_STAMP) ## Add the pinned Spark extras (dbt-spark[session], pyspark) to .venv

build-spark: venv-spark ## Build the same dbt project on local Spark (session mode) into build-spark/
	TIKTOK_BUILD_DIR=$(SPARK_BUILD_DIR) $(PY) scripts/warehouse.py build --target spark

test-spark: venv-spark ## Build the sample on local Spark and compare every table with the DuckDB build (tests/test_spark.py)
	@$(call pytest_or_fail,TIKTOK_TEST_SPARK=1 $(PY),-m spark tests/test_spark.py $(PYTEST_ARGS))

clean: ## Remove the build dir (dbt state, ML seeds, ZIP cache); keeps the published warehouse
	rm -rf $(TIKTOK_BUILD_DIR) $(SPARK_BUILD_DIR) target logs .pytest_cache

clean-all: clean ## Also remove the venv and the published warehouse
	rm -rf $(VENV) $(TIKTOK_WAREHOUSE)

# ---------------------------------------------------------------- Evidence site (network needed)
.PHONY: reports-evidence
reports-evidence: venv ## Build the Evidence site in reports/ (needs Node + network; `make build` never runs npm)
	@command -v npm >/dev/null || { echo "reports-evidence: npm not found (Node 18+ needed); the static report is build/reports/" >&2; exit 1; }
	mkdir -p reports/static/plots
	if [ -d "$(TIKTOK_BUILD_DIR)/ml/plots" ]; then cp "$(TIKTOK_BUILD_DIR)"/ml/plots/*.png reports/static/plots/ 2>/dev/null || true; fi
	cd reports && npm install --no-audit --no-fund
	cd reports && EVIDENCE_SOURCE__warehouse__filename="$$($(CURDIR)/$(PY) -c 'import os, sys; print(os.path.relpath(sys.argv[1], "sources/warehouse"))' "$(TIKTOK_WAREHOUSE)")" npm run sources
	cd reports && npm run build
	@echo "reports-evidence: reports/build/index.html  (preview: cd reports && npm run preview)"

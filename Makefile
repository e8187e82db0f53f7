# SalesMagnet — make run | make test | make check (lint + typecheck + test) | make bench
# The first interpreter on PATH that runs and is 3.11+ (pyenv shims may exist without running).
PY ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: bench-side install run test test-sqlite test-mysql lint format typecheck check bench clean

$(STAMP): pyproject.toml
	@test -n "$(PY)" || { echo 'SalesMagnet needs Python 3.11+ on PATH (python3)'; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/salesmagnet migrate
	$(BIN)/python server.py

# SQLite always; MariaDB + Redis too when TEST_MYSQL_URL and TEST_REDIS_URL are set (.ci/run sets them).
test: install test-sqlite
	@if [ -n "$$TEST_MYSQL_URL" ]; then $(MAKE) --no-print-directory test-mysql; \
	else echo "TEST_MYSQL_URL not set: MariaDB run not requested"; fi

test-sqlite: install
	TEST_DB=sqlite $(BIN)/pytest -q -p no:cacheprovider

test-mysql: install
	TEST_DB=mysql $(BIN)/pytest -q -p no:cacheprovider

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: install
	$(BIN)/mypy salesmagnet models realtime jobs server.py

check: lint typecheck test

bench: install
	$(BIN)/python bench/auth_load.py

# Side by side with the earlier Node implementation (../shared/peer; needs node, MariaDB, wrk):
# ingestion and the lead reads, failing when a ratio is under its target. Not part of CI.
bench-side: install
	$(BIN)/python bench/side_guard.py

clean:
	rm -rf $(VENV) salesmagnet.db* .pytest_cache .mypy_cache .ruff_cache

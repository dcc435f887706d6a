PY := .venv/bin/python
STAMP := .venv/.installed

BENCH := .venv/.bench

.PHONY: demo test test-pg pg lint bench bench-quick clean

$(STAMP): pyproject.toml
	python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	.venv/bin/huanjie solve scenarios/demo-county --top 3

test: $(STAMP)
	.venv/bin/ruff check .
	$(PY) -m pytest

# A PostgreSQL on loopback for the store tests (.ci/postgres.sh): `eval "$$(make -s pg)"` exports
# HUANJIE_TEST_PG in your shell; `make test-pg` runs the suite with it.
pg:
	@url=$$(.ci/postgres.sh) && echo "export HUANJIE_TEST_PG='$$url'"

test-pg: $(STAMP)
	HUANJIE_TEST_PG=$$(.ci/postgres.sh) && export HUANJIE_TEST_PG && $(MAKE) test

$(BENCH): $(STAMP)
	$(PY) -m pip install -q -e '.[dev,bench]'
	touch $(BENCH)

bench-quick: $(BENCH)
	$(PY) -m benchmarks.run --quick
	$(PY) -m benchmarks.interactive
	$(PY) -m benchmarks.batch --quick
	$(PY) -m benchmarks.province --quick
	$(PY) -m benchmarks.load --quick

bench: $(BENCH)
	$(PY) -m benchmarks.run
	$(PY) -m benchmarks.growth
	$(PY) -m benchmarks.variants
	$(PY) -m benchmarks.overrun
	$(PY) -m benchmarks.batch
	$(PY) -m benchmarks.province
	$(PY) -m benchmarks.startup
	$(PY) -m benchmarks.load

lint: $(STAMP)
	.venv/bin/ruff check .

clean:
	rm -rf .venv

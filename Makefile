PY := .venv/bin/python
STAMP := .venv/.installed

.PHONY: demo test lint clean

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

lint: $(STAMP)
	.venv/bin/ruff check .

clean:
	rm -rf .venv

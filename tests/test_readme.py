"""The README's rule table is generated from the presets and must not go stale."""

from pathlib import Path

from service.render.rules_table import BEGIN, END, readme_block

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_rule_table_is_current() -> None:
    """The block between the markers equals `readme_block()`; regenerate with
    `python -m service.render.rules_table --write` when a preset changes."""
    text = README.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    assert text[start:end] == readme_block()


def test_readme_opens_with_the_two_commands() -> None:
    """A new reader sees `make demo` and `make test` first."""
    head = README.read_text(encoding="utf-8").split("##")[0]
    assert "make demo" in head and "make test" in head


def test_readme_scenario_example_loads(tmp_path: Path) -> None:
    """The `scenario.yaml` example of "Writing a scenario" loads beside the demo's people."""
    import re
    import shutil

    from model.io import load_scenario

    text = README.read_text(encoding="utf-8")
    block = re.search(r"`scenario\.yaml`:\n\n```yaml\n(.*?)```", text, re.S)
    assert block is not None
    demo = README.parent / "scenarios" / "demo-county"
    for name in ("townships.csv", "cadres.csv"):
        shutil.copy(demo / name, tmp_path / name)
    (tmp_path / "scenario.yaml").write_text(block.group(1), encoding="utf-8")
    sc = load_scenario(tmp_path)
    assert sc.rules["D1-R2"].off and sc.rules["D3-C1"].weight == 5


def test_readme_endpoint_table_is_current() -> None:
    """The endpoint table is generated from the routes and their roles:
    `python -m service.api.endpoints --write` when an endpoint changes."""
    from service.api.endpoints import BEGIN as E_BEGIN
    from service.api.endpoints import END as E_END
    from service.api.endpoints import readme_block as endpoints_block

    text = README.read_text(encoding="utf-8")
    start, end = text.index(E_BEGIN), text.index(E_END) + len(E_END)
    assert text[start:end] == endpoints_block()

"""Input errors: each names where it is (file, row, field), the value and what to do."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class InputError:
    """One problem in the input. `section`/`key` locate it inside a scenario
    (e.g. section 'cadres', key the cadre id) until the loader knows file and row."""

    message: str
    field: str = ""
    value: str = ""
    file: str = ""
    row: int | None = None
    section: str = ""
    key: str = ""

    def __str__(self) -> str:
        where = self.file or self.section or "scenario"
        if self.row is not None:
            where += f", row {self.row}"
        elif self.key and self.key not in self.field:  # a path naming the key says it already
            where += f" [{self.key}]"
        if self.field:
            where += f", field '{self.field}'"
        shown = self.value if len(self.value) <= 80 else self.value[:77] + "..."  # a pasted essay
        value = f" (value: {shown!r})" if self.value != "" else ""
        return f"{where}: {self.message}{value}"


@dataclass
class InputErrors(Exception):
    """All the errors found in one pass over the input; nothing was loaded."""

    errors: list[InputError] = field(default_factory=list)

    def __str__(self) -> str:
        head = f"{len(self.errors)} input error(s); nothing was loaded:"
        return "\n".join([head, *(f"  - {e}" for e in self.errors)])

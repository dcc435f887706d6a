"""The HTTP service's configuration, read once from the environment.

Every bound a caller can meet (request size, pool size, time limit, jobs per key)
lives here, so an answer over a bound can name it (`Limits` field names are the
`limit` of a 413/429 body) and an operator changes it without code.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

DATA_ENV = "HUANJIE_DATA"
DB_ENV = "HUANJIE_DB"
WORKERS_ENV = "HUANJIE_WORKERS"
LIMIT_PREFIX = "HUANJIE_LIMIT_"
"""`HUANJIE_LIMIT_MAX_CADRES=5000` sets `Limits.max_cadres`."""

DEFAULT_DATA = "huanjie-data"
MAX_DEFAULT_WORKERS = 4
"""Job workers by default on a large machine (each holds its pool and model: memory)."""


def default_workers() -> int:
    """One job worker process per core this process may use, at most MAX_DEFAULT_WORKERS: small
    jobs then run side by side (one alone leaves a core idle while the other answers HTTP), and
    a large one's CP-SAT workers use the cores either way."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, MAX_DEFAULT_WORKERS))


class Limits(BaseModel):
    """What one request or one key may ask; over a bound the answer is 413 or 429 naming it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_request_bytes: int = Field(20_000_000, ge=1, description="largest request body")
    max_cadres: int = Field(20_000, ge=1, description="largest pool a job may solve")
    max_time_limit: float = Field(600.0, gt=0, description="longest time limit of a job (seconds)")
    sync_max_cadres: int = Field(600, ge=1, description="largest pool POST /v1/solve takes")
    sync_max_seconds: float = Field(10.0, gt=0, description="longest time limit of POST /v1/solve")
    verb_max_seconds: float = Field(60.0, gt=0, description="longest time limit of why-not, recommend, diff")
    queued_per_key: int = Field(20, ge=1, description="jobs a key may have waiting")
    running_per_key: int = Field(2, ge=1, description="jobs a key may have running")


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    data: Path = Field(Path(DEFAULT_DATA), description="folder of the SQLite file and job logs")
    db_url: str = Field("", description="SQLAlchemy URL; empty: SQLite under `data`")
    workers: int = Field(default_factory=default_workers, ge=1,
                         description="job worker processes (default: one per core, at most 4)")
    solver_workers: int = Field(2, ge=1, description="CP-SAT workers of each job")
    limits: Limits = Limits()

    @property
    def database(self) -> str:
        return self.db_url or f"sqlite:///{self.data / 'huanjie.db'}"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **given: object) -> Settings:
        """Settings from HUANJIE_* variables; `given` (command-line flags) win over them.
        A bad value raises `ValueError` naming the variable."""
        env = os.environ if env is None else env
        data: dict[str, object] = {}
        if env.get(DATA_ENV):
            data["data"] = env[DATA_ENV]
        if env.get(DB_ENV):
            data["db_url"] = env[DB_ENV]
        if env.get(WORKERS_ENV):
            data["workers"] = env[WORKERS_ENV]
        limits = {k[len(LIMIT_PREFIX):].lower(): v for k, v in env.items() if k.startswith(LIMIT_PREFIX)}
        if limits:
            data["limits"] = limits
        data.update({k: v for k, v in given.items() if v is not None})
        try:
            return cls.model_validate(data)
        except ValidationError as e:
            problems = "; ".join(f"{variable(x['loc'])}={x.get('input')!r}: {x['msg']}" for x in e.errors())
            raise ValueError(f"bad service settings: {problems}") from None


def software_version() -> str:
    """The installed package's version (each run records it)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("huanjie")
    except PackageNotFoundError:
        return "0+unknown"


def variable(loc: tuple) -> str:
    """The environment variable behind a settings field's location."""
    if loc and loc[0] == "limits" and len(loc) > 1:
        return LIMIT_PREFIX + str(loc[1]).upper()
    return {"data": DATA_ENV, "db_url": DB_ENV, "workers": WORKERS_ENV}.get(str(loc[0]), str(loc[0]))

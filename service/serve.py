"""`huanjie serve` and `huanjie keys`: the HTTP service and its API keys, both on the
database the settings name (HUANJIE_DATA / HUANJIE_DB; service/settings.py)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported late: `huanjie --help` stays quick
    from service.settings import Settings

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def logging_to(data: Path) -> None:
    """The service's log: stderr and `$HUANJIE_DATA/huanjie.log`. Lines carry ids only, never a
    cadre's name or birth date (tests/service/api checks a whole job's log)."""
    data.mkdir(parents=True, exist_ok=True)
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr),
                                       logging.FileHandler(data / "huanjie.log", encoding="utf-8")]
    for h in handlers:
        h.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger("huanjie")
    root.handlers[:] = handlers
    root.setLevel(logging.INFO)


def settings_of(**given: object) -> Settings:
    """The settings, a bad HUANJIE_* value a usage error (exit 2) naming the variable."""
    from service.boundary import UsageError
    from service.settings import Settings

    try:
        return Settings.from_env(**given)
    except ValueError as e:
        raise UsageError(str(e)) from e


def check_database(settings: Settings) -> None:
    """Open (and migrate) the database before uvicorn starts, so a bad HUANJIE_DB is one clear line
    and exit 2, not the lifespan's traceback."""
    from sqlalchemy import make_url
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from service.boundary import UsageError
    from service.store import Store

    try:
        Store.open(settings.database).close()
    except SQLAlchemyError as e:
        try:
            shown = make_url(settings.database).render_as_string(hide_password=True)
        except ArgumentError:
            shown = "(not a database URL)"
        why = str(getattr(e, "orig", None) or e).strip().splitlines()[0]
        raise UsageError(f"cannot open the database {shown} (HUANJIE_DB): {why}") from None


def cmd_serve(args: argparse.Namespace) -> int:
    """Runs in the main thread (cli.py: `main_thread`), so uvicorn's SIGTERM/SIGINT handlers are
    installed and a stop is graceful: jobs in flight are queued again. `lifespan="on"`: a start-up
    that fails exits (uvicorn's "auto" would serve on without the job pool)."""
    settings = settings_of(workers=args.workers)
    logging_to(settings.data)
    check_database(settings)
    import uvicorn  # after the check: a bad database is refused before the app is loaded

    from service.api.app import create_app

    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info", lifespan="on",
                access_log=False, timeout_graceful_shutdown=10)
    return 0


def cmd_keys(args: argparse.Namespace) -> int:
    from service.boundary import UsageError
    from service.render.keys import key_lines, new_key_lines
    from service.store import NotFound, Store
    from service.store.views import Role

    store = Store.open(settings_of().database)
    try:
        if args.action == "create":
            print("\n".join(new_key_lines(store.keys.create(args.name, Role(args.role)))))
        elif args.action == "list":
            print("\n".join(key_lines(store.keys.list())))
        else:
            try:
                print("\n".join(key_lines([store.keys.revoke(args.id)])))
            except NotFound as e:
                raise UsageError(f"{e}; `huanjie keys list` shows the keys") from e
    finally:
        store.close()
    return 0


def add_parsers(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    s = sub.add_parser("serve", parents=parents, help="run the HTTP service (API under /v1, docs at /docs)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    s.add_argument("--workers", type=int,
                   help="job worker processes (default: one per core, at most 4; or HUANJIE_WORKERS)")
    s.set_defaults(run=cmd_serve, main_thread=True)

    k = sub.add_parser("keys", parents=parents, help="create, list or revoke API keys")
    actions = k.add_subparsers(dest="action", required=True)
    c = actions.add_parser("create", help="a new key; its secret is printed this once")
    c.add_argument("name", help="who or what uses the key")
    c.add_argument("--role", choices=["viewer", "planner", "admin"], default="planner",
                   help="viewer reads; planner solves and writes scenarios; admin manages keys")
    actions.add_parser("list", help="every key, revoked ones too (no secrets)")
    r = actions.add_parser("revoke", help="revoke a key at once")
    r.add_argument("id", help="the key's id (from `huanjie keys list`)")
    k.set_defaults(run=cmd_keys)

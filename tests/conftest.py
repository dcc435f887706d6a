"""Hypothesis runs derandomized under CI, so a landing run is reproducible; the database
fixtures of tests/dbs.py (`db_url`, `postgres_url`) and pytest's `pytester` are there for
every test. Commands the tests start run on their own, never in a daemon a developer left
running (tests/service/test_daemon.py starts daemons of its own)."""

import os

from hypothesis import settings

pytest_plugins = ["pytester", "tests.dbs"]

os.environ["HUANJIE_DAEMON"] = "off"

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")

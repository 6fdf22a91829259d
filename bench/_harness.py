"""What every benchmark shares: run the measuring child once per database, each on a fresh one.

A child process per database, because Django's settings (the database URL) are read once per
process. SQLite gets a new file under var/bench/; PostgreSQL a dropped and recreated database.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pg_url(database: str) -> str:
    return os.environ.get("BASTION_BENCH_PG", f"postgres://postgres@127.0.0.1:5432/{database}")


def reset_pg_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def run_children(script: str, slug: str, pg: str, only: str | None, child_args: list[str],
                 extra_env: Mapping[str, str] | None = None) -> None:
    """Run `script --child NAME *child_args` for SQLite and PostgreSQL (or `only` one), each on a fresh database."""
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    sqlite_file = bench_dir / f"{slug}.sqlite3"
    for name, url in {"sqlite": f"sqlite:///{sqlite_file}", "postgresql": pg}.items():
        if only and only != name:
            continue
        if name == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(str(sqlite_file) + suffix).unlink(missing_ok=True)
        else:
            reset_pg_database(url)
        env = {**os.environ, "BASTION_DATABASE_URL": url, "BASTION_INSECURE_DEV": "1",
               "DJANGO_SETTINGS_MODULE": "bastion.settings", "BASTION_LOG_LEVEL": "ERROR", **(extra_env or {})}
        subprocess.run([sys.executable, script, "--child", name, *child_args], env=env, check=True, cwd=ROOT)

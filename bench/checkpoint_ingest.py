"""Benchmark: readings per second through POST /api/checkpoints/readings/batch, next to the raw limit.

For SQLite (a fresh file under var/bench/) and PostgreSQL (database `bastion_bench` on
BASTION_BENCH_PG, default postgres://postgres@127.0.0.1:5432/bastion_bench) it prints:

  api in-process   readings/s through Django's test client (JSON parse, validation, insert, response)
  api gunicorn     readings/s over HTTP to gunicorn on 127.0.0.1 (one client, batches in sequence)
  raw limit        readings/s of executemany (SQLite) or COPY (PostgreSQL) of the same rows into the same table
  ratio            api / raw (goal: at least 0.25)

Usage: .venv/bin/python bench/checkpoint_ingest.py [--batches 5] [--size 10000] [--only sqlite|postgresql]
Not a test: it prints figures and exits 0 unless something breaks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

from _harness import pg_url, run_children

PG_URL = pg_url("bastion_bench")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run(args.child, args.batches, args.size)
        return
    run_children(__file__, "checkpoint_ingest", PG_URL, args.only,
                 ["--batches", str(args.batches), "--size", str(args.size)])


def rows_for(entrance_id: int, n: int) -> list[dict]:
    now = dt.datetime.now(dt.UTC)
    return [
        {"uuid": str(uuid.uuid4()), "entrance": entrance_id, "temperature": f"{36.0 + (i % 12) / 10:.1f}",
         "measured_at": (now - dt.timedelta(seconds=i)).isoformat()}
        for i in range(n)
    ]


def run(name: str, batches: int, size: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bastion.access.scope import system_scope
    from bastion.areas.models import Area
    from bastion.areas.services import area_create
    from bastion.checkpoints.models import Reading
    from bastion.checkpoints.services import device_token_create, entrance_create

    call_command("migrate", verbosity=0, interactive=False)
    s = system_scope()
    site = Area.objects.filter(name="Bench station", kind="site").first()
    if site is None:
        district = area_create(scope=s, name="Bench district", kind="district")
        site = area_create(scope=s, name="Bench station", kind="site", parent=district, site_type="station")
        entrance_create(scope=s, site=site, name="Gate 1")
    entrance = site.entrances.get()
    _token, raw_token = device_token_create(scope=s, site=site, name="bench")
    headers = {"Authorization": f"Bearer {raw_token}", "Content-Type": "application/json"}
    bodies = [json.dumps({"readings": rows_for(entrance.pk, size)}).encode() for _ in range(batches)]
    total = batches * size

    def reset() -> None:
        Reading.objects.all().delete()

    # 1. in-process, through the whole Django stack (middleware, auth, ninja, validation, insert).
    reset()
    client = Client()
    client.post("/api/checkpoints/readings/batch", json.dumps({"readings": rows_for(entrance.pk, 10)}),
                content_type="application/json", HTTP_AUTHORIZATION=headers["Authorization"])  # warm-up
    reset()
    started = time.perf_counter()
    for body in bodies:
        response = client.post("/api/checkpoints/readings/batch", body, content_type="application/json",
                               HTTP_AUTHORIZATION=headers["Authorization"])
        assert response.status_code == 200 and response.json()["created"] == size, response.content[:300]
    in_process = total / (time.perf_counter() - started)
    # A resend is all duplicates and stores nothing.
    again = client.post("/api/checkpoints/readings/batch", bodies[0], content_type="application/json",
                        HTTP_AUTHORIZATION=headers["Authorization"]).json()
    assert again["created"] == 0 and again["duplicates"] == size

    # 2. gunicorn on loopback.
    reset()
    connection.close()
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "bastion.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", "1", "--timeout", "120", "--log-level", "warning"],
        env={**os.environ, "BASTION_ALLOWED_HOSTS": "127.0.0.1"},
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for _ in range(3):  # warm-up: the worker imports the URLconf and the API on its first request
            conn.request("POST", "/api/checkpoints/readings/batch",
                         json.dumps({"readings": rows_for(entrance.pk, 10)}), headers)
            conn.getresponse().read()
        fresh = [json.dumps({"readings": rows_for(entrance.pk, size)}).encode() for _ in range(batches)]
        started = time.perf_counter()
        for body in fresh:
            conn.request("POST", "/api/checkpoints/readings/batch", body, headers)
            response = conn.getresponse()
            data = response.read()
            assert response.status == 200, data[:300]
        over_http = total / (time.perf_counter() - started)
    finally:
        server.terminate()
        server.wait(timeout=30)

    # 3. the raw limit: the same rows, already typed, straight into the table.
    reset()
    connection.ensure_connection()
    raw_rows = []
    now = dt.datetime.now(dt.UTC)
    for body in bodies:
        for r in json.loads(body)["readings"]:
            raw_rows.append((uuid.uuid4(), r["entrance"], dt.datetime.fromisoformat(r["measured_at"]),
                             Decimal(r["temperature"]), None, None, None, now))
    cols = '"uuid", "entrance_id", "measured_at", "temperature", "remeasure_of", "measured_by_id", "device_id", ' \
           '"received_at"'
    raw = connection.connection
    started = time.perf_counter()
    if connection.vendor == "sqlite":
        ops = connection.ops
        prepared = [(u.hex, e, ops.adapt_datetimefield_value(m), str(t), None, None, None,
                     ops.adapt_datetimefield_value(rcv)) for u, e, m, t, _f, _p, _d, rcv in raw_rows]
        started = time.perf_counter()
        for i in range(0, len(prepared), size):
            cur = raw.cursor()
            cur.execute("BEGIN")
            cur.executemany(f"INSERT INTO checkpoints_reading ({cols}) VALUES (?,?,?,?,?,?,?,?)",  # noqa: S608
                            prepared[i:i + size])
            cur.execute("COMMIT")
        limit_label = "executemany"
    else:
        for i in range(0, len(raw_rows), size):
            with raw.transaction(), raw.cursor() as cur, cur.copy(f"COPY checkpoints_reading ({cols}) FROM STDIN") \
                    as copy:
                for row in raw_rows[i:i + size]:
                    copy.write_row(row)
        limit_label = "COPY"
    raw_rate = total / (time.perf_counter() - started)
    assert Reading.objects.count() == total
    reset()

    print(f"\n== {name}: {batches} batches x {size:,} readings ==")
    print(f"api in-process     {in_process:>10,.0f} readings/s")
    print(f"api gunicorn       {over_http:>10,.0f} readings/s   (127.0.0.1, 1 sync worker, one client, warmed up)")
    print(f"raw {limit_label:<14} {raw_rate:>10,.0f} readings/s")
    print(f"ratio in-process   {in_process / raw_rate:>10.2f}   (goal >= 0.25)")
    print(f"ratio gunicorn     {over_http / raw_rate:>10.2f}")


if __name__ == "__main__":
    main()

"""Benchmark: household-registry rows per second through the import's check and confirm, next to the raw limit.

For SQLite (a fresh file under var/bench/) and PostgreSQL (database `bastion_bench_imports` on
BASTION_BENCH_PG, default postgres://postgres@127.0.0.1:5432/bastion_bench_imports) it prints:

  check        rows/s of batch_upload: read the .xlsx, run every row through validation, roll back
  confirm      rows/s of batch_confirm: read it again, validate again, write, audit, history
  raw limit    rows/s of bulk_create of the same buildings, households, persons and residents
               (already typed and validated, no audit, no history) in one transaction
  ratio        check / raw and confirm / raw

The file is N rows (default 5,000) of households of three, all in one grid, written by a community
worker of that grid (a scoped user, not a superuser), so scope checks run as they do on the web.
Usage: .venv/bin/python bench/imports.py [--rows 5000] [--only sqlite|postgresql] [--profile]
Not a test: it prints figures and exits 0 unless something breaks.
"""

from __future__ import annotations

import argparse
import io
import os
import time

from _harness import pg_url, run_children

PG_URL = pg_url("bastion_bench_imports")
HEADER = ["网格", "街路", "小区", "楼号", "单元", "室", "姓名", "性别", "身份证号", "电话", "与户主关系"]
RELATIONS = ["户主", "配偶", "子女"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the check and the confirm")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run(args.child, args.rows, args.profile)
        return
    # The bench measures N rows whatever the web limit.
    run_children(__file__, "imports", PG_URL, args.only,
                 ["--rows", str(args.rows), *(["--profile"] if args.profile else [])],
                 {"BASTION_IMPORT_MAX_ROWS": str(args.rows)})


def valid_id(n: int) -> str:
    from stdnum.cn import ric

    # Born 1984-2003 (python-stdnum knows 370202 from 1983 on), a distinct sequence per row.
    body = f"370202{1984 + n % 20}{1 + n % 12:02d}{1 + n % 28:02d}{n // 420 % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def registry(grid: str, rows: int) -> list[list[str]]:
    out = []
    for i in range(rows):
        h = i // 3
        out.append([grid, f"仰口路{h // 400 + 1}號", "仰口小區", f"{h // 20 % 20 + 1}號樓", str(h // 10 % 2 + 1),
                    f"{h % 10 + 1}{h // 1000:02d}", f"居民{i}", "", valid_id(i), f"139{i:08d}"[:11],
                    RELATIONS[i % 3]])
    return out


def xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(name: str, rows: int, profile: bool) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from bastion.access.models import Grant, User
    from bastion.access.scope import resolve_scope, system_scope
    from bastion.areas.services import area_create
    from bastion.coverage.models import Building, Household, Resident
    from bastion.coverage.services import building_key, household_key
    from bastion.imports import conf, services
    from bastion.imports.models import BatchStatus
    from bastion.people.models import Person

    call_command("migrate", verbosity=0, interactive=False)
    s = system_scope()
    district = area_create(scope=s, name="Bench district", kind="district")
    street = area_create(scope=s, name="Bench street", kind="street", parent=district)
    community = area_create(scope=s, name="仰口路社區", kind="community", parent=street)
    grid = area_create(scope=s, name="仰口路社區第01網格", kind="grid", parent=community)
    user = User.objects.create_user(username="bench-worker", password="correct horse battery")  # noqa: S106 - a bench user
    Grant.objects.create(user=user, role="community_worker", area=community)
    table = registry(grid.name, rows)
    content = xlsx(table)
    ids = {r[8] for r in table}
    assert len(ids) == rows, "the generated ID numbers must be distinct"

    def timed(label: str, fn):  # noqa: ANN001, ANN202 - a tiny helper
        if not profile:
            started = time.perf_counter()
            result = fn()
            return result, time.perf_counter() - started
        import cProfile
        import pstats

        prof = cProfile.Profile()
        started = time.perf_counter()
        result = prof.runcall(fn)
        elapsed = time.perf_counter() - started
        print(f"\n-- profile: {label} ({elapsed:.1f} s) --")
        pstats.Stats(prof).sort_stats("cumulative").print_stats(35)
        return result, elapsed

    scope = resolve_scope(user)
    batch, check_s = timed("check", lambda: services.batch_upload(scope=scope, file_name="bench.xlsx",
                                                                  content=content))
    assert batch.status == BatchStatus.READY, batch.errors[:5]
    batch, confirm_s = timed("confirm", lambda: services.batch_confirm(scope=resolve_scope(user), batch=batch))
    assert batch.status == BatchStatus.IMPORTED, batch.errors[:5]
    assert Person.objects.count() == rows and Resident.objects.count() == rows
    households = Household.objects.count()
    assert batch.households_created == households, (batch.households_created, households)

    # A second import of the same file matches everything and changes nothing.
    again, recheck_s = timed("re-check", lambda: services.batch_upload(scope=resolve_scope(user),
                                                                       file_name="bench.xlsx", content=content))
    assert again.status == BatchStatus.READY and again.persons_matched == rows, again.errors[:5]

    # The raw limit: the same rows, already typed, bulk-inserted in one transaction.
    Resident.objects.all().delete()
    Person.objects.all().delete()
    Household.objects.all().delete()
    Building.objects.all().delete()
    started = time.perf_counter()
    with transaction.atomic():
        buildings: dict[str, Building] = {}
        homes: dict[str, Household] = {}
        for r in table:
            key = building_key(r[1], r[2], r[3])
            if key not in buildings:
                buildings[key] = Building(grid=grid, street=r[1], compound=r[2], number=r[3], key=key)
        Building.objects.bulk_create(buildings.values(), batch_size=1000)
        for r in table:
            b = buildings[building_key(r[1], r[2], r[3])]
            key = household_key(b, r[4], r[5])
            if key not in homes:
                homes[key] = Household(building=b, grid=grid, unit=r[4], room=r[5], key=key, search_key=key)
        Household.objects.bulk_create(homes.values(), batch_size=1000)
        persons = [Person(name=r[6], area=grid, id_number=r[8], phone="+86" + r[9], search_key=r[6]) for r in table]
        Person.objects.bulk_create(persons, batch_size=1000)
        relation = {"户主": "head", "配偶": "spouse", "子女": "child"}
        residents = []
        for r, person in zip(table, persons, strict=True):
            b = buildings[building_key(r[1], r[2], r[3])]
            residents.append(Resident(household=homes[household_key(b, r[4], r[5])], person=person,
                                      relation=relation[r[10]]))
        Resident.objects.bulk_create(residents, batch_size=1000)
    raw_s = time.perf_counter() - started
    assert Resident.objects.count() == rows

    print(f"\n== {name} ({connection.vendor}): {rows:,} rows, {households:,} households ==")
    print(f"check (upload)   {rows / check_s:>8,.0f} rows/s   {check_s:6.1f} s   {check_s / rows * 1000:5.2f} ms/row")
    print(f"confirm          {rows / confirm_s:>8,.0f} rows/s   {confirm_s:6.1f} s   "
          f"{confirm_s / rows * 1000:5.2f} ms/row")
    print(f"re-check (all matched) {rows / recheck_s:>4,.0f} rows/s   {recheck_s:6.1f} s")
    print(f"raw bulk_create  {rows / raw_s:>8,.0f} rows/s   {raw_s:6.1f} s")
    print(f"ratio check      {raw_s / check_s:>8.3f}   (check / raw)")
    print(f"ratio confirm    {raw_s / confirm_s:>8.3f}   (confirm / raw)")
    # What the web limit is held to: a check or a confirm of a full file inside gunicorn's default timeout.
    saved = os.environ.pop("BASTION_IMPORT_MAX_ROWS")
    web_limit = conf.max_rows()
    os.environ["BASTION_IMPORT_MAX_ROWS"] = saved
    slowest = max(check_s, confirm_s) / rows * web_limit
    print(f"web limit        {web_limit:>8,} rows   -> about {slowest:4.1f} s for its check or confirm "
          f"(held to: gunicorn's 30 s timeout, ratio {slowest / 30:.2f})")


if __name__ == "__main__":
    main()

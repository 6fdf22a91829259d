"""Continuous duty: a person's shifts at one site merged when the gap between them is under a setting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Duty:
    person_id: int
    start: dt.datetime
    end: dt.datetime

    @property
    def hours(self) -> Decimal:
        seconds = Decimal((self.end - self.start).total_seconds())
        return (seconds / Decimal(3600)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def merge(
    shifts: Iterable[tuple[int, dt.datetime, dt.datetime | None]], *, gap: dt.timedelta, now: dt.datetime
) -> list[Duty]:
    """Merge (person_id, start, end) shifts into continuous duties; an open shift lasts until now.

    Back-to-back or overlapping shifts, or shifts separated by less than `gap`, form one duty.
    """
    by_person: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for person_id, start, end in shifts:
        by_person.setdefault(person_id, []).append((start, end if end is not None else max(now, start)))
    duties: list[Duty] = []
    for person_id, spans in by_person.items():
        spans.sort()
        cur_start, cur_end = spans[0]
        for start, end in spans[1:]:
            if start - cur_end < gap:
                cur_end = max(cur_end, end)
            else:
                duties.append(Duty(person_id, cur_start, cur_end))
                cur_start, cur_end = start, end
        duties.append(Duty(person_id, cur_start, cur_end))
    duties.sort(key=lambda d: (d.start, d.person_id))
    return duties

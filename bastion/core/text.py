"""Script- and pinyin-insensitive search forms, computed when a record is written."""

from __future__ import annotations

from functools import lru_cache

import opencc
from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Fold traditional characters to simplified and case to lower, so 樓長 matches 楼长."""
    return _t2s().convert(text or "").lower()


def initials(text: str) -> str:
    """Pinyin initials: 竇秀珍 -> dxz. Non-Chinese characters are kept as lower case."""
    return "".join(p[0] for p in lazy_pinyin(simplified(text), style=Style.FIRST_LETTER) if p).lower()


def full_pinyin(text: str) -> str:
    return "".join(lazy_pinyin(simplified(text))).lower()


def search_key(*parts: str) -> str:
    """One string holding every searchable form of the given text, space-separated."""
    forms: list[str] = []
    for part in parts:
        if not part:
            continue
        forms += [simplified(part), initials(part), full_pinyin(part)]
    return " ".join(dict.fromkeys(f for f in forms if f))


def normalise_query(query: str) -> str:
    return simplified(query.strip())

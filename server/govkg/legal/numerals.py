"""Chinese numerals as used in article, chapter and item headings (第六十九条 → 69)."""

from __future__ import annotations

_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZEROS = {"零", "〇"}


def to_int(numeral: str) -> int:
    """Convert a Chinese numeral from 1 to 9999 to an int; ``ValueError`` if it is not one."""
    total, digit = 0, None
    for char in numeral:
        if char in _ZEROS and total:
            continue
        if char in _DIGITS and digit is None:
            digit = _DIGITS[char]
        elif char in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[char]
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {numeral!r}")
    value = total + (digit or 0)
    if not value:
        raise ValueError(f"not a Chinese numeral: {numeral!r}")
    return value


def from_int(value: int) -> str:
    """Write 1–9999 as the regulation does (10 → 十, 16 → 十六, 69 → 六十九, 101 → 一百零一)."""
    if not 0 < value < 10000:
        raise ValueError(f"out of range: {value}")
    digits = "零一二三四五六七八九"
    out, pending_zero = "", False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = value // unit % 10
        if d:
            out += ("零" if pending_zero else "") + digits[d] + name
            pending_zero = False
        elif out:
            pending_zero = True
    return out[1:] if out.startswith("一十") else out

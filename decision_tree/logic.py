"""Conditions, formulas and periods: the data in the rules, evaluated (standard library only).

Answers are a dict ``{fact_id: value}``; a fact answered "不清楚" holds ``None``; a fact that was
never asked is absent. A test on an unknown or absent fact is false, a formula over one is None.
"""

from __future__ import annotations

import calendar as _calendar
from datetime import date, timedelta
from typing import Any

from decision_tree.model import Calendar

Answers = dict[str, Any]
COMPARE = {"lt": lambda a, b: a < b, "lte": lambda a, b: a <= b,
           "gt": lambda a, b: a > b, "gte": lambda a, b: a >= b}


def holds(cond: Any, answers: Answers, today: date) -> bool:
    """Whether ``cond`` is true for these answers (a missing condition always holds)."""
    if cond is None:
        return True
    if "is" in cond:  # the commonest test first
        return answers.get(cond["fact"]) == cond["is"] and answers.get(cond["fact"]) is not None
    if "all" in cond:
        return all(holds(c, answers, today) for c in cond["all"])
    if "any" in cond:
        return any(holds(c, answers, today) for c in cond["any"])
    if "not" in cond:
        return not holds(cond["not"], answers, today)
    if "known" in cond:
        return (answers.get(cond["fact"]) is not None) == cond["known"]
    for op, test in COMPARE.items():
        if op in cond:
            value = value_of(cond.get("value", {"fact": cond.get("fact")}), answers, today)
            return value is not None and test(value, cond[op])
    value = answers.get(cond["fact"])
    if value is None:
        return False
    if "is" in cond:
        return value == cond["is"]
    if "in" in cond:
        return value in cond["in"]
    wanted = cond["includes"]
    return any(w in value for w in (wanted if isinstance(wanted, list) else [wanted]))


def value_of(formula: Any, answers: Answers, today: date) -> float | None:
    """A formula's number, or None when a fact it needs is unknown."""
    if isinstance(formula, (int, float)):
        return float(formula)
    if "fact" in formula:
        v = answers.get(formula["fact"])
        return None if v is None else float(v)
    if "days_since" in formula:
        v = answers.get(formula["days_since"])
        return None if v is None else float((today - date.fromisoformat(v)).days)
    if "years_since" in formula:  # whole years past the date's anniversaries, as the law counts them
        v = answers.get(formula["years_since"])
        if v is None:
            return None
        d = date.fromisoformat(v)
        years = today.year - d.year - ((today.month, today.day) <= (d.month, d.day))
        return float(years)
    (op, args), = formula.items()
    if op == "round":
        v = value_of(args, answers, today)
        return None if v is None else round(v, 2)
    values = [value_of(a, answers, today) for a in args]
    if any(v is None for v in values):
        return None
    if op == "add":
        return float(sum(values))
    if op == "sub":
        return values[0] - sum(values[1:])
    if op == "mul":
        out = 1.0
        for v in values:
            out *= v
        return out
    return float(max(values) if op == "max" else min(values))


def facts_read(node: Any) -> list[str]:
    """Every fact id a condition or formula reads, in order of appearance."""
    out: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("fact", "days_since", "years_since") and isinstance(value, str):
                out.append(value)
            else:
                out += facts_read(value)
    elif isinstance(node, list):
        for item in node:
            out += facts_read(item)
    return list(dict.fromkeys(out))


def is_workday(day: date, cal: Calendar) -> bool:
    iso = day.isoformat()
    if iso in cal.workdays:
        return True
    return day.weekday() < 5 and iso not in cal.holidays


def period_end(start: date, period: dict[str, int], cal: Calendar) -> date | None:
    """The last day of a period counted from ``start`` (the start day itself is not counted).

    Working days skip weekends and official holidays and count make-up working days. A period in
    months or years that ends on a rest day runs to the next working day (民法典第二百零一至二百零三
    条); a period in days is given unmoved, the earlier and safer date for short consumer windows
    such as the seven-day return. Counting working days past the calendar's last known year gives
    None (unknown).
    """
    (unit, n), = period.items()
    if unit == "working_days":
        day, left = start, n
        while left:
            day += timedelta(days=1)
            if day.year > cal.last_year:
                return None
            left -= is_workday(day, cal)
        return day
    if unit == "days":
        return start + timedelta(days=n)
    else:
        months = n * 12 if unit == "years" else n
        y, m = divmod(start.month - 1 + months, 12)
        y, m = start.year + y, m + 1
        day = date(y, m, min(start.day, _calendar.monthrange(y, m)[1]))
    # Past the calendar's last year the holidays are not known: give the plain date, unmoved.
    while day.year <= cal.last_year and not is_workday(day, cal):
        day += timedelta(days=1)
    return day

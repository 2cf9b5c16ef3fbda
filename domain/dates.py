"""Calendar arithmetic in whole months, the unit tenure and review windows are stated in."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time

import numpy as np
import numpy.typing as npt

Days = npt.NDArray[np.datetime64]  # datetime64[D]


def add_months(day: date, months: int) -> date:
    """Same day of the month `months` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def add_months_to_datetime(moment: datetime, months: int) -> datetime:
    shifted = add_months(moment.date(), months)
    return moment.replace(year=shifted.year, month=shifted.month, day=shifted.day)


def whole_months_between(start: date, end: date) -> int:
    """Completed months from `start` to `end` (0 when end precedes start)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day and end != _last_day(end):
        months -= 1
    return max(months, 0)


def whole_months_between_days(start: Days, end: Days) -> npt.NDArray[np.int64]:
    """`whole_months_between` element-wise over arrays of days (bulk data generation)."""
    month_of_start, month_of_end = start.astype("datetime64[M]"), end.astype("datetime64[M]")
    months = (month_of_end - month_of_start).astype(np.int64)
    day_of_start = (start - month_of_start.astype("datetime64[D]")).astype(np.int64)
    day_of_end = (end - month_of_end.astype("datetime64[D]")).astype(np.int64)
    last_day_of_month = (end + np.timedelta64(1, "D")).astype("datetime64[M]") != month_of_end
    months -= (day_of_end < day_of_start) & ~last_day_of_month
    whole: npt.NDArray[np.int64] = np.maximum(months, 0)
    return whole


def _last_day(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def quarter_of(moment: date) -> tuple[int, int]:
    """(year, quarter 1–4)."""
    return moment.year, (moment.month - 1) // 3 + 1


def start_of_day(instant: datetime) -> datetime:
    """Midnight UTC of the instant's day: how review times are shown, so they are dates."""
    return datetime.combine(instant.astimezone(UTC).date(), time(), UTC)

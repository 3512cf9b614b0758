"""Time limits of the suggestion handling, in calendar months (domain facts §5.3)."""

from __future__ import annotations

import calendar
import datetime

# Assisting offices give the lead office their opinion within one month of assignment.
ASSIST_MONTHS = 1
# The lead office replies within three months of assignment (or of being sent back).
REPLY_MONTHS = 3
# Extensions may take a round to six months at most.
MAX_ROUND_MONTHS = 6


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by whole calendar months; the 31st becomes the month's last day."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))

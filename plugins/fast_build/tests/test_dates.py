"""The ``date_text`` filter formats as the date's own ``strftime`` does, whatever it met before."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from fast_build.dates import date_text_filter
from pelican.utils import SafeDatetime


def test_a_date_reads_as_its_strftime_with_the_default_format_or_another() -> None:
    date_text = date_text_filter({"DEFAULT_DATE_FORMAT": "%-d %B %Y"})
    published = SafeDatetime(2026, 3, 5, 9, 30)
    assert date_text(published) == published.strftime("%-d %B %Y") == "5 March 2026"
    assert date_text(published, "%B %Y") == "March 2026"
    assert date_text(date(2026, 3, 5), "%d/%m") == "05/03"


def test_the_same_instant_in_other_zones_or_without_one_is_shown_as_each_is() -> None:
    date_text = date_text_filter({"DEFAULT_DATE_FORMAT": "%Y-%m-%d %H:%M %Z"})
    london = datetime(2026, 7, 1, 23, 30, tzinfo=ZoneInfo("Europe/London"))
    seen = [
        london,
        london.astimezone(ZoneInfo("Asia/Tokyo")),
        london.astimezone(UTC),
        london.astimezone(timezone(timedelta(0), "GMT")),
        london.replace(tzinfo=None),
    ]
    assert len({*seen[:4]}) == 1  # equal as instants, so a memo keyed on the datetime alone would mix them
    assert [date_text(when) for when in seen] == [when.strftime("%Y-%m-%d %H:%M %Z") for when in seen]
    assert len({date_text(when) for when in seen}) == len(seen)

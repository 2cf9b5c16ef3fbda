"""k-anonymity for reviewer details (SPEC "Reading reviews: tenure metadata and anonymity").

A detail (job function, location, last year) is shown only when at least k published reviews
of the same company share its value; otherwise it is withheld and the review says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

JOB_FUNCTION = "jobFunction"
LOCATION = "location"
LAST_YEAR = "lastYear"
DETAIL_ATTRIBUTES = (JOB_FUNCTION, LOCATION, LAST_YEAR)


@dataclass(frozen=True)
class GroupSizes:
    """How many published reviews of one company share each value of each detail attribute."""

    by_attribute: dict[str, Counter[object]]

    @classmethod
    def count(cls, details: Iterable[tuple[dict[str, object], int]]) -> GroupSizes:
        """From (one combination of detail values, how many reviews have it) pairs."""
        counters: dict[str, Counter[object]] = {attribute: Counter() for attribute in DETAIL_ATTRIBUTES}
        for detail, reviews in details:
            for attribute in DETAIL_ATTRIBUTES:
                if detail.get(attribute) is not None:
                    counters[attribute][detail[attribute]] += reviews
        return cls(counters)

    def size(self, attribute: str, value: object) -> int:
        return self.by_attribute.get(attribute, Counter())[value]


@dataclass(frozen=True)
class VisibleDetails:
    values: dict[str, object]
    withheld: list[str]


def visible_details(details: dict[str, object], groups: GroupSizes, k: int) -> VisibleDetails:
    """The details of one review that are safe to show; a None value is not "withheld"."""
    values: dict[str, object] = {}
    withheld: list[str] = []
    for attribute in DETAIL_ATTRIBUTES:
        value = details.get(attribute)
        if value is not None and groups.size(attribute, value) >= k:
            values[attribute] = value
        else:
            values[attribute] = None
            if value is not None:
                withheld.append(attribute)
    return VisibleDetails(values, withheld)


def may_filter_by(group_size: int, k: int) -> bool:
    """A filter on a detail may not single out a group smaller than k."""
    return group_size >= k

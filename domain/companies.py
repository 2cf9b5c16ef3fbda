"""Company identity: one page per case-insensitive name."""

from __future__ import annotations

import re

COMPANY_NAME_MAX_LENGTH = 120

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normalise_company_name(name: str) -> str:
    """Collapse inner whitespace and trim, keeping the name as the member typed it."""
    return " ".join(name.split())


def company_slug(name: str) -> str:
    """The de-duplication key and URL name: case-folded words joined by hyphens.

    Unicode letters are kept, so "比亚迪" stays "比亚迪" and "ACME  Inc." becomes "acme-inc".
    Returns "" when the name holds no letter or digit at all.
    """
    return _NON_WORD.sub("-", name.casefold()).replace("_", "-").strip("-")

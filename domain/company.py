"""Company identity: one page per case-insensitive name."""

from __future__ import annotations

import re

COMPANY_NAME_MAX_LENGTH = 120
SLUG_MAX_LENGTH = 140

# Runs of anything but letters and digits (underscore included) become one hyphen.
_SEPARATORS = re.compile(r"[\W_]+", re.UNICODE)


def normalise_company_name(name: str) -> str:
    """Collapse inner whitespace and trim, keeping the name as the member typed it."""
    return " ".join(name.split())


def normalise_slug(slug: str) -> str:
    """A slug as typed (any case, stray spaces) in the form it is stored."""
    return slug.strip().casefold()


def company_slug(name: str) -> str:
    """The de-duplication key and URL name: case-folded words joined by hyphens.

    Unicode letters are kept, so "比亚迪" stays "比亚迪" and "ACME  Inc." becomes "acme-inc".
    Returns "" when the name holds no letter or digit at all.
    """
    return _SEPARATORS.sub("-", name.casefold()).strip("-")

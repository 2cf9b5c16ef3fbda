"""Company identity (one page per case-insensitive name) and the profile its people keep."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from domain.enums import CompanySizeBand
from domain.errors import ErrorCode
from domain.violations import Violation, check_text

COMPANY_NAME_MAX_LENGTH = 120
SLUG_MAX_LENGTH = 140
DESCRIPTION_MAX_LENGTH = 5000
WEBSITE_MAX_LENGTH = 200
INDUSTRY_MAX_LENGTH = 80
CITY_MAX_LENGTH = 120

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


@dataclass(frozen=True)
class ProfileEdit:
    """What a company's representative changes on its page. None keeps a field as it is; an
    empty (or blank) text clears it. The size band can be changed, not cleared."""

    description: str | None = None
    website: str | None = None
    industry: str | None = None
    size_band: CompanySizeBand | None = None
    headquarters_city: str | None = None

    def cleaned(self) -> ProfileEdit:
        """Texts trimmed, the industry and city with inner whitespace collapsed."""

        def trimmed(value: str | None, collapse: bool = False) -> str | None:
            if value is None:
                return None
            return " ".join(value.split()) if collapse else value.strip()

        return ProfileEdit(
            description=trimmed(self.description),
            website=trimmed(self.website),
            industry=trimmed(self.industry, collapse=True),
            size_band=self.size_band,
            headquarters_city=trimmed(self.headquarters_city, collapse=True),
        )

    def changes(self) -> dict[str, object]:
        """The columns to write: given fields only, a cleared text stored as null."""
        given = {
            "description": self.description,
            "website": self.website,
            "industry": self.industry,
            "size_band": self.size_band,
            "headquarters_city": self.headquarters_city,
        }
        return {name: value or None for name, value in given.items() if value is not None}


def is_web_address(text: str) -> bool:
    """An absolute http(s) URL naming a dotted host, without credentials, whitespace or
    control characters (a link readers may follow safely)."""
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in text):
        return False
    try:
        parts = urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return False
    if parts.scheme.lower() not in ("http", "https") or not host or parts.username is not None:
        return False
    return "." in host.strip(".")


def check_profile_edit(edit: ProfileEdit) -> list[Violation]:
    """Rules for a cleaned edit."""
    problems = [
        *check_text(edit.description, "description", max_length=DESCRIPTION_MAX_LENGTH, required=False, label="The description"),
        *check_text(edit.website, "website", max_length=WEBSITE_MAX_LENGTH, required=False, label="The website"),
        *check_text(edit.industry, "industry", max_length=INDUSTRY_MAX_LENGTH, required=False, label="The industry"),
        *check_text(
            edit.headquarters_city, "headquartersCity", max_length=CITY_MAX_LENGTH, required=False, label="The city"
        ),
    ]
    too_long = {problem.field for problem in problems}
    if edit.website and ("website",) not in too_long and not is_web_address(edit.website):
        problems.append(
            Violation(
                ("website",),
                ErrorCode.INVALID_URL,
                "The website must be an http:// or https:// address, such as https://example.com.",
            )
        )
    return problems

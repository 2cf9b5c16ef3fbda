"""The repository stands alone: every link in its documentation resolves inside the clone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted([ROOT / "README.md", ROOT / "credit" / "README.md", *(ROOT / "docs").glob("*.md")])
LINK = re.compile(r"\]\(([^)\s]+)\)|<(https?://[^>]+)>")
LOCAL_ADDRESS = re.compile(r"^https?://(127\.0\.0\.1|localhost)(:\d+)?(/|$)")


def anchors(document: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    headings = re.findall(r"^#+ (.+)$", document.read_text(encoding="utf-8"), re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_stays_inside_the_repository_and_resolves(document):
    text = document.read_text(encoding="utf-8")
    assert "../shared" not in text
    for relative, angle in LINK.findall(text):
        target = relative or angle
        if target.startswith(("http://", "https://")):
            assert LOCAL_ADDRESS.match(target), f"{document.name} links outside the repo: {target}"
            continue
        path, _, anchor = target.partition("#")
        resolved = (document.parent / path).resolve() if path else document
        assert resolved.is_relative_to(ROOT) and resolved.exists(), f"{document.name}: {target}"
        if anchor and resolved.suffix == ".md":
            assert anchor in anchors(resolved), f"{document.name}: no heading for #{anchor} in {path}"


def test_the_documentation_covers_what_a_user_needs():
    names = {p.name for p in (ROOT / "docs").glob("*.md")}
    assert {"api-guide.md", "fit.md", "career-credit.md", "error-codes.md"} <= names


def test_the_settings_reference_is_generated_from_the_settings():
    from infra.settings_reference import markdown

    committed = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert committed == markdown(), "docs/settings.md is stale: run `workcred export-docs`"

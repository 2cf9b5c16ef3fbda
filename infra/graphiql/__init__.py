"""GraphiQL, served by workcred with its own committed copy of the browser assets (pinned and
integrity-checked by scripts/graphiql_assets.py), so it works offline and installs from PyPI alone."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from infra.graphiql.examples import EXAMPLES, WELCOME

STATIC_DIRECTORY = Path(__file__).parent / "static"
ASSETS_PATH = "/graphiql-assets"
ASSETS = (
    "react.production.min.js", "react-dom.production.min.js", "graphiql.min.js", "graphiql.min.css", "graphql-ws.min.js",
)


@cache
def page(endpoint: str = "/graphql") -> str:
    """The GraphiQL page: the welcome tab, then the README's examples."""
    # `<` escaped so no query text can close the script element it is embedded in.
    tabs = json.dumps([WELCOME, *EXAMPLES]).replace("<", "\\u003c")
    template = (Path(__file__).parent / "page.html").read_text(encoding="utf-8")
    return template.replace("{assets}", ASSETS_PATH).replace("{endpoint}", endpoint).replace("{tabs}", tabs)

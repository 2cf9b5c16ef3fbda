"""Re-fetch GraphiQL's browser assets (a maintainer's tool; installing workcred never runs it).

GraphiQL must work offline, so its scripts are committed under infra/graphiql/static/ and served
by workcred itself, never by a CDN. This script takes each file from its npm tarball, pinned by
version and checked against the registry's sha512 integrity before anything is extracted, keeps
each package's licence beside it, and records every file's sha256 in static/MANIFEST.json (which
tests/test_graphiql.py checks offline). Only the Python standard library is needed, not npm.

    python scripts/graphiql_assets.py          # fetch what is pinned, rewrite the manifest
    python scripts/graphiql_assets.py --check  # fetch again and compare with what is committed

To move to another version, change PINNED (the integrity is `npm view PACKAGE@VERSION
dist.integrity`), run the script and commit the result. NPM_CONFIG_REGISTRY picks a mirror.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import os
import sys
import tarfile
import urllib.request
from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "infra" / "graphiql" / "static"
MANIFEST = "MANIFEST.json"
DEFAULT_REGISTRY = "https://registry.npmjs.org/"
# (package, version, sha512 integrity, {file in the tarball: name served})
PINNED = [
    (
        "react",
        "18.2.0",
        "sha512-/3IjMdb2L9QbBdWiW5e3P2/npwMBaU9mHCSCUzNln0ZCYbcfTsGbTJrU/kGemdH2IWmB2ioZ+zkxtmq6g09fGQ==",
        {"package/umd/react.production.min.js": "react.production.min.js", "package/LICENSE": "LICENSE.react"},
    ),
    (
        "react-dom",
        "18.2.0",
        "sha512-6IMTriUmvsjHUjNtEDudZfuDQUoWXVxKHhlEGSk81n4YFS+r/Kl99wXiwlVXtPBtJenozv2P+hxDsw9eA7Xo6g==",
        {
            "package/umd/react-dom.production.min.js": "react-dom.production.min.js",
            "package/LICENSE": "LICENSE.react-dom",
        },
    ),
    (
        "graphiql",
        "3.8.3",
        "sha512-cuPDYtXVKV86Pu5PHBX642Odi/uVEE2y1Jxq5rGO/Qy1G2lRp7ZZ7a/T30RzxhuLSWo9zUbzq0P3U49//H0Ugw==",
        {
            "package/graphiql.min.js": "graphiql.min.js",
            "package/graphiql.min.css": "graphiql.min.css",
            "package/LICENSE": "LICENSE.graphiql",
        },
    ),
    (
        # GraphiQL's subscription tab speaks graphql-transport-ws through this client.
        "graphql-ws",
        "5.16.2",
        "sha512-E1uccsZxt/96jH/OwmLPuXMACILs76pKF2i3W861LpKBCYtGIyPQGtWLuBLkND4ox1KHns70e83PS4te50nvPQ==",
        {"package/umd/graphql-ws.min.js": "graphql-ws.min.js", "package/LICENSE.md": "LICENSE.graphql-ws"},
    ),
]


def _tarball_url(registry: str, package: str, version: str) -> str:
    return f"{registry.rstrip('/')}/{package}/-/{package}-{version}.tgz"


def fetched() -> dict[str, bytes]:
    """Every pinned file, by the name it is served under, from integrity-checked tarballs."""
    registry = os.environ.get("NPM_CONFIG_REGISTRY") or DEFAULT_REGISTRY
    files: dict[str, bytes] = {}
    for package, version, integrity, wanted in PINNED:
        url = _tarball_url(registry, package, version)
        with urllib.request.urlopen(url, timeout=120) as response:  # a pinned https URL
            tarball = response.read()
        digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
        if digest != integrity:
            raise RuntimeError(f"{url}: integrity {digest} does not match the pinned {integrity}")
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            for member, name in wanted.items():
                extracted = archive.extractfile(member)
                if extracted is None:
                    raise RuntimeError(f"{url} has no file {member}")
                files[name] = extracted.read()
    return files


def manifest(files: dict[str, bytes]) -> str:
    sources = {name: f"{package}@{version}" for package, version, _, wanted in PINNED for name in wanted.values()}
    entries = {name: {"from": sources[name], "sha256": hashlib.sha256(files[name]).hexdigest()} for name in sorted(files)}
    return json.dumps(entries, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fetch GraphiQL's pinned browser assets into infra/graphiql/static/.")
    parser.add_argument("--check", action="store_true", help="only compare the committed files with a fresh fetch")
    args = parser.parse_args(argv)
    files = fetched()
    if args.check:
        stale = [name for name, content in files.items() if not (ASSETS / name).is_file() or (ASSETS / name).read_bytes() != content]
        if stale or (ASSETS / MANIFEST).read_text(encoding="utf-8") != manifest(files):
            print(f"out of date: {', '.join(stale) or MANIFEST}; run scripts/graphiql_assets.py", file=sys.stderr)
            return 1
        print("the committed assets are the pinned ones")
        return 0
    ASSETS.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (ASSETS / name).write_bytes(content)
    (ASSETS / MANIFEST).write_text(manifest(files), encoding="utf-8")
    print(f"wrote {len(files)} files and {MANIFEST} to {ASSETS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

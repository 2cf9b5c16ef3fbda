"""setuptools' build backend, plus GraphiQL's browser assets.

GraphiQL must work offline, so its scripts are served by workcred itself, never by a CDN. They
come from the npm registry when the package is built or installed (editable installs included):
each tarball is pinned by version and checked against its sha512 integrity before anything is
extracted. Nothing but the Python standard library is needed, not even npm. The registry can be
changed with NPM_CONFIG_REGISTRY (a mirror); files already in place are not fetched again.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tarfile
import urllib.request
from pathlib import Path

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403 - the backend hooks setuptools provides

ASSETS = Path(__file__).resolve().parent.parent / "infra" / "graphiql" / "static"
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
]


def _tarball_url(registry: str, package: str, version: str) -> str:
    return f"{registry.rstrip('/')}/{package}/-/{package}-{version}.tgz"


def fetch_graphiql_assets(destination: Path = ASSETS) -> None:
    registry = os.environ.get("NPM_CONFIG_REGISTRY") or DEFAULT_REGISTRY
    destination.mkdir(parents=True, exist_ok=True)
    for package, version, integrity, files in PINNED:
        if all((destination / name).is_file() for name in files.values()):
            continue
        url = _tarball_url(registry, package, version)
        with urllib.request.urlopen(url, timeout=120) as response:  # a pinned https URL
            tarball = response.read()
        digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
        if digest != integrity:
            raise RuntimeError(f"{url}: integrity {digest} does not match the pinned {integrity}")
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            for member, name in files.items():
                extracted = archive.extractfile(member)
                if extracted is None:
                    raise RuntimeError(f"{url} has no file {member}")
                (destination / name).write_bytes(extracted.read())


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):  # type: ignore[no-untyped-def]
    fetch_graphiql_assets()
    return _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):  # type: ignore[no-untyped-def]
    fetch_graphiql_assets()
    return _setuptools.build_editable(wheel_directory, config_settings, metadata_directory)


if __name__ == "__main__":
    fetch_graphiql_assets()

"""What a page on another origin may do: CORS for the configured origins only.

The request headers a client sends are named (a wildcard would not cover `Authorization`), with
the ones common GraphQL clients add; the response headers browser code may read are exposed. No
cookies are used, so credentials stay off."""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from infra.settings import Settings

ALWAYS_ALLOWED_HEADERS = (
    "authorization",
    "content-type",
    "if-none-match",
    "x-request-id",
    "apollographql-client-name",
    "apollographql-client-version",
)
EXPOSED_HEADERS = (
    "X-Request-ID",
    "ETag",
    "X-Cache",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "Retry-After",
)


def allowed_headers(settings: Settings) -> list[str]:
    return list(dict.fromkeys([*ALWAYS_ALLOWED_HEADERS, *settings.cors_allow_header_list]))


def cors(settings: Settings) -> list[Middleware]:
    """The CORS middleware for `settings`' origins, or none at all when none are configured."""
    if not settings.cors_origin_list:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST"],
            allow_headers=allowed_headers(settings),
            expose_headers=list(EXPOSED_HEADERS),
            allow_credentials=False,
            max_age=600,
        )
    ]

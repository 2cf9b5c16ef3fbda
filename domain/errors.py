"""Every error code a client can see, defined once.

A code is stable: clients branch on it. Mutations report broken rules as `userErrors` entries;
requests that cannot be answered at all carry the code in a GraphQL error's `extensions.code`
(or, for HTTP-level refusals, in the JSON error body). `docs/error-codes.md` is generated from
this catalogue (`workcred export-docs`) and a test keeps the two equal.
"""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    """Where a client meets the code."""

    USER_ERRORS = "userErrors"
    GRAPHQL_ERROR = "errors[].extensions.code"
    HTTP = "HTTP error body"


class ErrorCode(StrEnum):
    channel: Channel
    description: str

    def __new__(cls, value: str, channel: Channel, description: str) -> ErrorCode:
        member = str.__new__(cls, value)
        member._value_ = value
        member.channel = channel
        member.description = description
        return member

    # Requests as a whole.
    BAD_USER_INPUT = "BAD_USER_INPUT", Channel.GRAPHQL_ERROR, "An argument is malformed or out of range."
    UNAUTHENTICATED = "UNAUTHENTICATED", Channel.GRAPHQL_ERROR, "Sign in (or sign in again) to do this."
    FORBIDDEN = "FORBIDDEN", Channel.GRAPHQL_ERROR, "Signed in, but not allowed to do this."
    INVALID_PRIORITIES = (
        "INVALID_PRIORITIES",
        Channel.GRAPHQL_ERROR,
        "Fit priorities passed to a query break a rule; `extensions.problems` lists each one.",
    )
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED", Channel.GRAPHQL_ERROR, "The document is not valid GraphQL syntax."
    GRAPHQL_VALIDATION_FAILED = (
        "GRAPHQL_VALIDATION_FAILED",
        Channel.GRAPHQL_ERROR,
        "The document asks for something the schema does not have, or is too deep or wide.",
    )
    PERSISTED_QUERY_NOT_FOUND = (
        "PERSISTED_QUERY_NOT_FOUND",
        Channel.GRAPHQL_ERROR,
        "The server does not know this sha256Hash: send the query text with it once.",
    )
    PERSISTED_QUERY_NOT_SUPPORTED = (
        "PERSISTED_QUERY_NOT_SUPPORTED",
        Channel.GRAPHQL_ERROR,
        "Persisted queries are turned off on this server: send the query text.",
    )
    PERSISTED_QUERY_NOT_ALLOWED = (
        "PERSISTED_QUERY_NOT_ALLOWED",
        Channel.GRAPHQL_ERROR,
        "The server runs only the documents of its allow-list.",
    )
    PERSISTED_QUERY_HASH_MISMATCH = (
        "PERSISTED_QUERY_HASH_MISMATCH",
        Channel.GRAPHQL_ERROR,
        "The sha256Hash is not the hash of the query text sent with it.",
    )
    QUERY_TOO_COSTLY = (
        "QUERY_TOO_COSTLY",
        Channel.GRAPHQL_ERROR,
        "The query would resolve more fields than the limit; ask for fewer.",
    )
    INTERNAL_SERVER_ERROR = (
        "INTERNAL_SERVER_ERROR",
        Channel.GRAPHQL_ERROR,
        "Unexpected; nothing was leaked. `extensions.requestId` finds it in the server log.",
    )
    RATE_LIMITED = (
        "RATE_LIMITED",
        Channel.GRAPHQL_ERROR,
        "Too many attempts; `extensions.retryAfterSeconds` says in how many seconds to retry.",
    )
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE", Channel.HTTP, "The request body is over the size limit (413)."
    BAD_REQUEST = (
        "BAD_REQUEST",
        Channel.HTTP,
        "The body or query string is not a GraphQL request: no `query`, not UTF-8, not a JSON object, too deep (400).",
    )
    OPERATION_NOT_FOUND = (
        "OPERATION_NOT_FOUND",
        Channel.HTTP,
        "`operationName` names no operation of the document (400).",
    )
    SUBSCRIPTION_NEEDS_WEBSOCKET = (
        "SUBSCRIPTION_NEEDS_WEBSOCKET",
        Channel.HTTP,
        "A subscription was sent over HTTP: open a WebSocket to /graphql (graphql-transport-ws) instead (400).",
    )
    METHOD_NOT_ALLOWED = (
        "METHOD_NOT_ALLOWED",
        Channel.HTTP,
        "GraphQL is served over GET and POST, and mutations over POST only; `Allow` names the methods (405).",
    )
    UNSUPPORTED_MEDIA_TYPE = (
        "UNSUPPORTED_MEDIA_TYPE",
        Channel.HTTP,
        "A POST body is sent as `application/json` (415).",
    )
    REQUEST_TIMEOUT = (
        "REQUEST_TIMEOUT",
        Channel.HTTP,
        "The request ran past its time budget and was stopped (503); retry later.",
    )

    # Shared by several mutations.
    NOT_FOUND = "NOT_FOUND", Channel.USER_ERRORS, "The id names nothing you can act on."
    REQUIRED = "REQUIRED", Channel.USER_ERRORS, "The field must not be empty."
    TOO_LONG = "TOO_LONG", Channel.USER_ERRORS, "The text is over its maximum length."
    TOO_SHORT = "TOO_SHORT", Channel.USER_ERRORS, "The text is under its minimum length."

    # Accounts.
    INVALID_EMAIL = "INVALID_EMAIL", Channel.USER_ERRORS, "Not an email address."
    EMAIL_TAKEN = (
        "EMAIL_TAKEN",
        Channel.USER_ERRORS,
        "Another account verified this address first (sign-up itself never says whether an address has an account).",
    )
    PASSWORD_TOO_SHORT = "PASSWORD_TOO_SHORT", Channel.USER_ERRORS, "Passwords have at least 10 characters."
    PASSWORD_TOO_LONG = "PASSWORD_TOO_LONG", Channel.USER_ERRORS, "Passwords have at most 256 characters."
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS", Channel.USER_ERRORS, "The email or password is wrong."
    WEAK_PASSWORD = (
        "WEAK_PASSWORD",
        Channel.USER_ERRORS,
        "The password is common, repetitive, sequential or contains your email or name.",
    )
    EMAIL_NOT_VERIFIED = (
        "EMAIL_NOT_VERIFIED",
        Channel.USER_ERRORS,
        "Enter the code mailed to your address first: until then you may browse, not speak.",
    )
    EMAIL_ALREADY_VERIFIED = "EMAIL_ALREADY_VERIFIED", Channel.USER_ERRORS, "This account's address is verified already."
    INVALID_CODE = (
        "INVALID_CODE",
        Channel.USER_ERRORS,
        "The code is wrong, expired or used up (5 tries); ask for a new one.",
    )
    INVALID_RESET_TOKEN = (
        "INVALID_RESET_TOKEN",
        Channel.USER_ERRORS,
        "The reset token is wrong, used or older than 30 minutes; ask for a new one.",
    )

    # Companies.
    COMPANY_REQUIRED = (
        "COMPANY_REQUIRED",
        Channel.USER_ERRORS,
        "Give exactly one of the company's name and its slug.",
    )
    COMPANY_NOT_FOUND = "COMPANY_NOT_FOUND", Channel.USER_ERRORS, "No company has this slug."
    INVALID_URL = "INVALID_URL", Channel.USER_ERRORS, "Not an http(s) web address."
    INVALID_COMPANY_NAME = "INVALID_COMPANY_NAME", Channel.USER_ERRORS, "The company name is empty."

    # Employment history and career breaks.
    START_IN_FUTURE = "START_IN_FUTURE", Channel.USER_ERRORS, "The start date is after today."
    END_BEFORE_START = "END_BEFORE_START", Channel.USER_ERRORS, "The end date is before the start date."
    END_IN_FUTURE = "END_IN_FUTURE", Channel.USER_ERRORS, "The end date is after today; leave it empty."
    POSITIONS_REQUIRED = "POSITIONS_REQUIRED", Channel.USER_ERRORS, "A job needs at least one position."
    TOO_MANY_POSITIONS = "TOO_MANY_POSITIONS", Channel.USER_ERRORS, "A job lists at most 50 positions."
    LEVEL_OUT_OF_RANGE = "LEVEL_OUT_OF_RANGE", Channel.USER_ERRORS, "Levels run from 1 to 10."
    POSITION_OUTSIDE_STINT = (
        "POSITION_OUTSIDE_STINT",
        Channel.USER_ERRORS,
        "A position starts outside the job's dates.",
    )
    DUPLICATE_POSITION_START = (
        "DUPLICATE_POSITION_START",
        Channel.USER_ERRORS,
        "Two positions start on the same day.",
    )
    FIRST_POSITION_NOT_AT_START = (
        "FIRST_POSITION_NOT_AT_START",
        Channel.USER_ERRORS,
        "The first position must start on the job's start date.",
    )
    OVERLAPS_EXISTING_STINT = (
        "OVERLAPS_EXISTING_STINT",
        Channel.USER_ERRORS,
        "Two jobs at the same company may not overlap.",
    )
    OVERLAPS_EXISTING_BREAK = (
        "OVERLAPS_EXISTING_BREAK",
        Channel.USER_ERRORS,
        "The career break overlaps one already declared.",
    )
    EMPLOYMENT_HAS_REVIEWS = (
        "EMPLOYMENT_HAS_REVIEWS",
        Channel.USER_ERRORS,
        "A job that reviews were written from cannot be removed.",
    )

    # Reviews, responses and helpful votes.
    RATING_OUT_OF_RANGE = "RATING_OUT_OF_RANGE", Channel.USER_ERRORS, "Scores run from 1 to 5."
    DIMENSIONS_REQUIRED = "DIMENSIONS_REQUIRED", Channel.USER_ERRORS, "Rate at least one dimension."
    DUPLICATE_DIMENSION = "DUPLICATE_DIMENSION", Channel.USER_ERRORS, "A dimension appears twice."
    EMPLOYMENT_NOT_STARTED = (
        "EMPLOYMENT_NOT_STARTED",
        Channel.USER_ERRORS,
        "A review is written from a job that has started.",
    )
    REVIEW_TOO_SOON = (
        "REVIEW_TOO_SOON",
        Channel.USER_ERRORS,
        "One review per member per company per 12 months; edit the existing one.",
    )
    TOO_FEW_COLLEAGUES = (
        "TOO_FEW_COLLEAGUES",
        Channel.USER_ERRORS,
        "Editing a published review: too few counted colleagues at the company (one became its representative) "
        "for any face to keep you anonymous now; nothing was changed. A new review is held instead.",
    )
    REVIEW_NOT_PUBLISHED = "REVIEW_NOT_PUBLISHED", Channel.USER_ERRORS, "The review is no longer published."
    REVIEW_NOT_EDITABLE = "REVIEW_NOT_EDITABLE", Channel.USER_ERRORS, "Only a published review can be edited."
    OWN_REVIEW = "OWN_REVIEW", Channel.USER_ERRORS, "You cannot mark your own review helpful."
    ALREADY_MARKED = "ALREADY_MARKED", Channel.USER_ERRORS, "You already marked this review helpful."
    ALREADY_RESPONDED = (
        "ALREADY_RESPONDED",
        Channel.USER_ERRORS,
        "The review has the company's response; edit that instead.",
    )

    # Moderation.
    APPEAL_WINDOW_CLOSED = (
        "APPEAL_WINDOW_CLOSED", Channel.USER_ERRORS, "A removal can be appealed within 30 days of it."
    )
    APPEAL_EXISTS = "APPEAL_EXISTS", Channel.USER_ERRORS, "This removal is under appeal, or its appeal was decided."
    APPEAL_DECIDED = "APPEAL_DECIDED", Channel.USER_ERRORS, "The appeal is decided already."
    POLL_NOT_REFERRED = (
        "POLL_NOT_REFERRED", Channel.USER_ERRORS, "Only a poll referred to the moderators waits for their decision."
    )
    CONTENT_REQUIRED = "CONTENT_REQUIRED", Channel.USER_ERRORS, "Name exactly one review or one response."
    NOT_REMOVABLE = "NOT_REMOVABLE", Channel.USER_ERRORS, "Only published content can be removed."
    NOT_REMOVED = (
        "NOT_REMOVED",
        Channel.USER_ERRORS,
        "Only content removed by moderators or a vote can be restored.",
    )

    # Removal polls.
    OWN_CONTENT = "OWN_CONTENT", Channel.USER_ERRORS, "Nobody opens or votes on a poll about their own content."
    NOT_A_COLLEAGUE = (
        "NOT_A_COLLEAGUE",
        Channel.USER_ERRORS,
        "Only members with a job at the company vote on what is said about it.",
    )
    ACCOUNT_TOO_NEW = "ACCOUNT_TOO_NEW", Channel.USER_ERRORS, "The account is younger than the voting minimum."
    POLL_ALREADY_OPEN = "POLL_ALREADY_OPEN", Channel.USER_ERRORS, "A poll on this content is already open."
    POLL_COOLDOWN = "POLL_COOLDOWN", Channel.USER_ERRORS, "A poll kept this content recently; wait for the cool-down."
    POLL_CLOSED = "POLL_CLOSED", Channel.USER_ERRORS, "The poll's window has passed."
    ALREADY_VOTED = "ALREADY_VOTED", Channel.USER_ERRORS, "You already voted this way on this poll."
    NOT_VETOABLE = (
        "NOT_VETOABLE",
        Channel.USER_ERRORS,
        "Only an open poll, or a removal by vote in the last 24 hours, can be vetoed.",
    )
    VETO_ALREADY_USED = "VETO_ALREADY_USED", Channel.USER_ERRORS, "The company's veto for this period is used."

    # Fit priorities.
    WEIGHT_OUT_OF_RANGE = "WEIGHT_OUT_OF_RANGE", Channel.USER_ERRORS, "Weights run from 0 to 10."
    MINIMUM_OUT_OF_RANGE = "MINIMUM_OUT_OF_RANGE", Channel.USER_ERRORS, "Minimums run from 1 to 5."
    ALL_WEIGHTS_ZERO = "ALL_WEIGHTS_ZERO", Channel.USER_ERRORS, "Give at least one dimension a weight above 0."

    # Career credit.
    OWN_EMPLOYMENT = (
        "OWN_EMPLOYMENT",
        Channel.USER_ERRORS,
        "A representative cannot verify their own job.",
    )
    NOT_SHARED = "NOT_SHARED", Channel.USER_ERRORS, "Your career credit is not shared with this company."
    NOT_REQUESTABLE = (
        "NOT_REQUESTABLE",
        Channel.USER_ERRORS,
        "Only a job that is not verified (nor already asked about) can be sent for verification.",
    )
    NOT_REQUESTED = "NOT_REQUESTED", Channel.USER_ERRORS, "This job is not waiting for the company's answer."


def markdown_table() -> str:
    """The catalogue as the Markdown table committed in docs/error-codes.md."""
    lines = [
        "# Error codes",
        "",
        "Generated from `domain/errors.py` by `workcred export-docs`; do not edit by hand.",
        "",
        "| code | where | meaning |",
        "| --- | --- | --- |",
    ]
    lines += [f"| `{code.value}` | {code.channel.value} | {code.description} |" for code in ErrorCode]
    return "\n".join(lines) + "\n"

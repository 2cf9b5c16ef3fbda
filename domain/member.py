"""Sign-up rules and credentials: email normalisation, password policy, bearer tokens, the codes
and links mailed to prove an address."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from domain.errors import ErrorCode
from domain.violations import Violation, check_text

EMAIL_MAX_LENGTH = 254
PASSWORD_MIN_LENGTH = 10
# Bounded so a huge password cannot make hashing a denial of service.
PASSWORD_MAX_LENGTH = 256
ZXCVBN_MAX_LENGTH = 72  # the longest input zxcvbn estimates
DISPLAY_NAME_MAX_LENGTH = 80
TOKEN_BYTES = 32  # 256 random bits
MIN_PASSWORD_SCORE = 3  # zxcvbn's 0–4 scale: 3 is "safely unguessable" (~10^10 guesses)
CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=30)
CODE_TRIES = 5  # wrong entries a mailed code survives
RESET_LIFETIME = timedelta(minutes=30)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(email: str) -> str:
    """Emails are unique case-insensitively, so they are stored trimmed and lower-cased."""
    return email.strip().lower()


def check_sign_up(email: str, password: str, display_name: str) -> list[Violation]:
    problems: list[Violation] = []
    if len(email) > EMAIL_MAX_LENGTH or not _EMAIL.match(email):
        problems.append(Violation(("email",), ErrorCode.INVALID_EMAIL, "Enter a valid email address."))
    problems += check_new_password(password, (email, display_name), "password")
    problems += check_text(
        display_name,
        "displayName",
        max_length=DISPLAY_NAME_MAX_LENGTH,
        required=True,
        label="Display name",
    )
    return problems


# Until an address is proven, its account may browse, record a career, see its credit and set
# priorities, but not speak: publish, respond, vote, open polls, mark helpful or verify.
EMAIL_NOT_VERIFIED = Violation(
    (), ErrorCode.EMAIL_NOT_VERIFIED,
    "Enter the code we mailed to your address first (resendVerificationEmail sends a new one).",
)


def check_new_password(password: str, personal: Sequence[str], field: str) -> list[Violation]:
    """The password policy, for a new account and for a changed or reset password alike;
    `personal`: the account's own details, which a password must not contain."""
    if len(password) < PASSWORD_MIN_LENGTH:
        return [Violation((field,), ErrorCode.PASSWORD_TOO_SHORT,
                          f"The password must be at least {PASSWORD_MIN_LENGTH} characters.")]
    if len(password) > PASSWORD_MAX_LENGTH:
        return [Violation((field,), ErrorCode.PASSWORD_TOO_LONG,
                          f"The password must be at most {PASSWORD_MAX_LENGTH} characters.")]
    if weakness := password_weakness(password, personal):
        return [Violation((field,), ErrorCode.WEAK_PASSWORD, weakness)]
    return []


def password_weakness(password: str, personal: Sequence[str]) -> str | None:
    """Why a password is too easy to guess (NIST SP 800-63B: common, repetitive, sequential or
    built from the account's own details), or None. zxcvbn estimates guesses against common
    passwords, dictionaries, keyboard patterns, repeats and sequences; below "safely
    unguessable" (score 3) is refused."""
    words = [part for value in personal for part in re.split(r"[@.\s_-]+", value.lower()) if len(part) >= 3]
    if any(word in password.lower() for word in words):
        return "Choose a password that does not contain your email or name."
    # zxcvbn refuses (raises on) longer input, its matching being superlinear; a password is at
    # least as hard to guess as its beginning.
    estimate = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=list(personal))
    if estimate["score"] >= MIN_PASSWORD_SCORE:
        return None
    feedback = estimate["feedback"]
    hint = feedback["warning"] or " ".join(feedback["suggestions"]) or "It would be guessed quickly."
    return f"This password is too easy to guess. {hint} A few unrelated words make a strong one."


def new_token() -> tuple[str, str]:
    """A fresh bearer token and the digest that is stored in its place."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_code() -> str:
    """A code to type from a mail: six random digits."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def keyed_digest(secret: bytes, *parts: str | int) -> str:
    """A digest only the server can make (HMAC-SHA256 under the deployment's secret): of a
    mailed code for one account, so the database alone cannot try the million codes; of an
    address, so a known address is recognised without being kept."""
    message = "\x1f".join(str(part) for part in parts).encode("utf-8", "replace")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def same_digest(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode(), given.encode())


class Passwords:
    """argon2id hashing. Call from a worker thread: a hash takes tens of milliseconds."""

    def __init__(self, time_cost: int, memory_kib: int, parallelism: int) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism
        )
        # Verified against when the email is unknown, so timing does not reveal accounts.
        self._decoy_hash = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash or self._decoy_hash, password) and (
                stored_hash is not None
            )
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash)

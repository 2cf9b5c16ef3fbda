"""Sign-up rules and credentials: email normalisation, password policy, bearer tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence

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

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(email: str) -> str:
    """Emails are unique case-insensitively, so they are stored trimmed and lower-cased."""
    return email.strip().lower()


def check_sign_up(email: str, password: str, display_name: str) -> list[Violation]:
    problems: list[Violation] = []
    if len(email) > EMAIL_MAX_LENGTH or not _EMAIL.match(email):
        problems.append(Violation(("email",), ErrorCode.INVALID_EMAIL, "Enter a valid email address."))
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append(
            Violation(
                ("password",),
                ErrorCode.PASSWORD_TOO_SHORT,
                f"The password must be at least {PASSWORD_MIN_LENGTH} characters.",
            )
        )
    elif len(password) > PASSWORD_MAX_LENGTH:
        problems.append(
            Violation(
                ("password",),
                ErrorCode.PASSWORD_TOO_LONG,
                f"The password must be at most {PASSWORD_MAX_LENGTH} characters.",
            )
        )
    elif weakness := password_weakness(password, (email, display_name)):
        problems.append(Violation(("password",), ErrorCode.WEAK_PASSWORD, weakness))
    problems += check_text(
        display_name,
        "displayName",
        max_length=DISPLAY_NAME_MAX_LENGTH,
        required=True,
        label="Display name",
    )
    return problems


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

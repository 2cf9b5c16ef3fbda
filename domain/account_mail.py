"""What workcred mails a member about their account: (subject, body), plain text."""

from __future__ import annotations

from datetime import timedelta

from domain.member import CODE_LIFETIME, RESET_LIFETIME


def _minutes(lifetime: timedelta) -> int:
    return int(lifetime.total_seconds() // 60)


def verification_code(code: str) -> tuple[str, str]:
    return (
        f"Your workcred code: {code}",
        f"Enter {code} in workcred to confirm this address. It works for {_minutes(CODE_LIFETIME)} "
        "minutes.\n\nUntil you do, you can browse, record your career and see your credit, but not "
        "review, respond or vote.\n\nIf you did not sign up for workcred, ignore this mail: nothing "
        "is published under this address without the code.",
    )


def sign_up_attempted() -> tuple[str, str]:
    return (
        "Someone tried to sign up to workcred with your address",
        "Someone — perhaps you — tried to create a workcred account with this address, which "
        "already has one. Nothing was changed.\n\nIf it was you, sign in instead; if you forgot "
        "your password, ask for a reset link on the sign-in page. If it was not you, you need "
        "do nothing.",
    )


def password_reset(token: str) -> tuple[str, str]:
    return (
        "Reset your workcred password",
        f"Use this token to choose a new password (resetPassword): {token}\n\nIt works once, for "
        f"{_minutes(RESET_LIFETIME)} minutes, and signs you out everywhere. If you did not ask for "
        "it, ignore this mail: your password stays as it is.",
    )


def password_changed() -> tuple[str, str]:
    return (
        "Your workcred password was changed",
        "The password of your workcred account was just changed, and every other session was "
        "signed out. If this was not you, reset your password now and review your sessions.",
    )

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Member(Model):
    """An account. An address may stand on several unverified accounts (sign-up answers alike
    whether or not the address has one) but on one verified account at most: `verified_email`
    is set, unique, once the address's owner entered the code mailed to it."""

    id = fields.IntField(primary_key=True)
    # Stored normalised (trimmed, lower-cased), so look-ups are case-insensitive.
    email = fields.CharField(max_length=254, db_index=True)
    verified_email = fields.CharField(max_length=254, null=True, unique=True)
    email_verified_at = fields.DatetimeField(null=True)
    display_name = fields.CharField(max_length=80)
    password_hash = fields.CharField(max_length=255)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "member"

    @property
    def email_verified(self) -> bool:
        return self.verified_email is not None


class AuthToken(Model):
    """A session: a bearer token, of which only the SHA-256 digest is stored."""

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="tokens", on_delete=fields.CASCADE
    )
    member_id: int
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)
    # The day it was last used (moved at most once a day) and what signed in: "Firefox on Linux".
    last_used_on = fields.DateField(null=True)
    client = fields.CharField(max_length=60, default="")

    class Meta:
        table = "auth_token"


class EmailCode(Model):
    """A code mailed to prove an address: only its digest is kept, it lives 30 minutes and
    takes a few tries; a newer code replaces it."""

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="email_codes", on_delete=fields.CASCADE
    )
    member_id: int
    code_hash = fields.CharField(max_length=64)
    expires_at = fields.DatetimeField()
    tries_left = fields.SmallIntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "email_code"


class PasswordReset(Model):
    """A single-use password-reset token mailed to the account's address (its digest only)."""

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="password_resets", on_delete=fields.CASCADE
    )
    member_id: int
    token_hash = fields.CharField(max_length=64, unique=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "password_reset"


class KnownAddress(Model):
    """An address the member signed in from, as a keyed digest (never the address itself):
    failed sign-ins by strangers never stop the owner signing in from one of these."""

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="known_addresses", on_delete=fields.CASCADE
    )
    member_id: int
    address_key = fields.CharField(max_length=64)
    last_signed_in_at = fields.DatetimeField()

    class Meta:
        table = "known_address"
        unique_together = (("member", "address_key"),)


class DeploymentSecret(Model):
    """One row (id 1): a random key made when the database was created, for digests that must
    not be reversible by whoever reads the database alone (`WORKCRED_SECRET_KEY` overrides it)."""

    id = fields.IntField(primary_key=True)
    secret = fields.CharField(max_length=128)

    class Meta:
        table = "deployment_secret"

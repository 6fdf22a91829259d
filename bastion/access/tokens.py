"""API tokens: shown once at creation, stored as SHA-256, revocable."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bastion.access.models import ApiToken
from bastion.core import audit

TOKEN_PREFIX = "bst_"  # noqa: S105 - a marker, not a secret


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, user: Any, name: str) -> tuple[ApiToken, str]:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the token after the device or script that will use it.")})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name[:100], prefix=raw[:12], token_hash=hash_token(raw))
        audit.record(user, "token.create", token, {"name": [None, token.name]})
    return token, raw


def token_revoke(*, user: Any, token: ApiToken) -> ApiToken:
    if token.user_id != user.pk:
        raise ValidationError({"token": _("This token is not yours.")})
    if token.revoked_at is None:
        with transaction.atomic():
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record(user, "token.revoke", token, {"revoked_at": [None, token.revoked_at.isoformat()]})
    return token


def token_authenticate(raw: str) -> Any:
    """The active user a raw token belongs to, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Write last-used at most once a minute so busy devices don't turn reads into writes.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user

"""Notifications: in-app messages, mailed to users who have an e-mail address.

`notify(users, key=..., ...)` is idempotent per (user, key): reminders and
escalations computed by the daily sweep can call it every day, and each user is
told once. Reads are `for_user` / `unread_count`; a user only ever sees their own.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification


def notify(users, *, key: str, subject: str, body: str = "", url: str = "", unit=None, kind=""):
    """Tell each of `users` once per `key`; returns the notifications created."""
    created = []
    key = key[:200]  # the stored column's length, so the check below sees what was stored
    for user in {u.pk: u for u in users if u is not None}.values():
        if Notification.objects.filter(user=user, key=key).exists():
            continue
        try:
            with transaction.atomic():
                note = Notification.objects.create(
                    user=user,
                    unit=unit,
                    kind=(kind or key.split(":", 1)[0])[:50],
                    key=key,
                    subject=subject[:300],
                    body=body,
                    url=url,
                )
        except IntegrityError:  # a concurrent sweep got there first
            continue
        created.append(note)
        if user.email:
            _mail(note)
    return created


def _mail(note: Notification) -> None:
    body = note.body
    if note.url:
        body = f"{body}\n\n{settings.GOVQMS_SITE_URL}{note.url}".strip()
    send_mail(note.subject, body, None, [note.user.email], fail_silently=True)
    Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())


def for_user(user):
    return Notification.objects.filter(user=user).select_related("unit")


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user, pks=None) -> int:
    """Mark the user's notifications read (all, or those in `pks`)."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if pks is not None:
        qs = qs.filter(pk__in=pks)
    return qs.update(read_at=timezone.now())

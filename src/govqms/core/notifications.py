"""Notifications: in-app messages, e-mailed to users who have an e-mail address.

`notify(users, key=..., ...)` is idempotent per (user, key): reminders and
escalations computed by the daily sweep can call it every day, and each user is
told once. Reads are `for_user` / `unread_count`; a user only ever sees their own.

Each user chooses how notifications reach their mailbox (`delivery_of`,
`set_delivery`): an e-mail for each one at once, one daily digest (the default, sent
by `core.digest.send_digests` from the daily sweep), or none (in govqms only).
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import audit
from .models import Delivery, Notification, NotificationPreference

DEFAULT_DELIVERY = Delivery.DIGEST


def notify(users, *, key: str, subject: str, body: str = "", url: str = "", unit=None, kind=""):
    """Tell each of `users` once per `key`; returns the notifications created."""
    created = []
    key = key[:200]  # the stored column's length, so the check below sees what was stored
    recipients = {u.pk: u for u in users if u is not None}
    deliveries = deliveries_of(recipients)
    for user in recipients.values():
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
        # Others get it in the daily digest (core.digest) or only in govqms.
        if user.email and deliveries[user.pk] == Delivery.IMMEDIATE:
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


# ---------------------------------------------------------------- e-mail delivery


def deliveries_of(user_ids) -> dict[int, str]:
    """{user id: delivery} for the given users, in one query (default: the digest)."""
    user_ids = list(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "delivery"
        )
    )
    return {pk: chosen.get(pk, DEFAULT_DELIVERY) for pk in user_ids}


def delivery_of(user) -> str:
    return deliveries_of([user.pk])[user.pk]


@transaction.atomic
def set_delivery(user, delivery: str) -> str:
    """The signed-in user chooses how their notifications are e-mailed (their own only)."""
    if delivery not in Delivery.values:
        raise ValueError(f"unknown delivery {delivery!r}")
    pref, created = NotificationPreference.objects.select_for_update().get_or_create(
        user=user, defaults={"delivery": DEFAULT_DELIVERY}
    )
    before = pref.delivery
    if before != delivery or created:
        pref.delivery = delivery
        pref.save(update_fields=["delivery", "updated_at"])
        audit.record(
            actor=user,
            action="notification_delivery_changed",
            obj=pref,
            changes={"delivery": [before, delivery]},
        )
    return delivery

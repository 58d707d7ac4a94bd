"""The daily e-mail digest (issue 6, item 8).

Users whose delivery is the daily digest (everyone who has not chosen otherwise)
get one e-mail a day listing their notifications not yet e-mailed, each with its
subject and link; the notifications listed are then stamped `emailed_at`, so a
second run the same day sends nothing. Notifications already read in govqms are
not listed (the user has seen them), nor those older than `DIGEST_DAYS`.

`send_digests(today)` is a daily job of the sweep (registered in CoreConfig.ready).
"""

import datetime as dt
import logging
from itertools import groupby

from django.conf import settings
from django.core import mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from .models import Delivery, Notification

logger = logging.getLogger(__name__)

# Notifications older than this are not put in a digest (e.g. those received while
# the user chose "in govqms only", when they switch to the digest).
DIGEST_DAYS = int(getattr(settings, "GOVQMS_DIGEST_DAYS", 7))


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def pending(today: dt.date):
    """Notifications due in today's digests: not e-mailed, not read, of digest users
    with an e-mail address, received up to the end of `today`."""
    no_choice = Q(user__notification_preference__isnull=True)
    digest = Q(user__notification_preference__delivery=Delivery.DIGEST)
    return (
        Notification.objects.filter(
            no_choice | digest,
            emailed_at__isnull=True,
            read_at__isnull=True,
            created_at__gte=_start_of(today - dt.timedelta(days=DIGEST_DAYS)),
            created_at__lt=_start_of(today + dt.timedelta(days=1)),
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user", "unit")
        .order_by("user_id", "created_at", "pk")
    )


def _message(user, notes: list[Notification], connection) -> mail.EmailMultiAlternatives:
    site = settings.GOVQMS_SITE_URL
    context = {
        "user": user,
        "notes": notes,
        "site": site,
        "notifications_url": f"{site}{reverse('notifications')}",
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = ngettext(
            "govqms: %(n)s new notification", "govqms: %(n)s new notifications", len(notes)
        ) % {"n": len(notes)}
        text = render_to_string("core/notification_digest.txt", context)
        html = render_to_string("core/notification_digest.html", context)
    message = mail.EmailMultiAlternatives(subject, text, None, [user.email], connection=connection)
    message.attach_alternative(html, "text/html")
    return message


def send_digests(today: dt.date | None = None) -> int:
    """Send each digest user one e-mail; return how many e-mails were sent."""
    today = today or timezone.localdate()
    sent = 0
    connection = mail.get_connection(fail_silently=False)
    for _user_id, group in groupby(pending(today), key=lambda n: n.user_id):
        notes = list(group)
        user = notes[0].user
        try:
            _message(user, notes, connection).send()
        except Exception:  # one failing address must not stop the others
            logger.exception("digest e-mail to user %s failed", user.pk)
            continue
        Notification.objects.filter(pk__in=[n.pk for n in notes], emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        sent += 1
    return sent

"""E-mail delivery of notifications: immediate, the daily digest (the default) or in
govqms only; the digest is one e-mail per user, sent once."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from govqms.core import digest, notifications, sweep
from govqms.core.models import AuditEntry, Delivery, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    for user, address in (
        (world.a_secretary, "thuky@example.vn"),
        (world.a_head, "thutruong@example.vn"),
        (world.b_secretary, "thukyb@example.vn"),
    ):
        user.email = address
        user.save(update_fields=["email"])
    return world


def _today():
    return timezone.localdate()


def test_everyone_gets_the_daily_digest_unless_they_choose(people):
    w = people
    assert notifications.delivery_of(w.a_secretary) == Delivery.DIGEST
    notifications.notify([w.a_secretary], key="plan:1:due", subject="Sắp đến hạn kế hoạch")
    assert mail.outbox == []  # not mailed at once: it waits for the digest
    note = Notification.objects.get(user=w.a_secretary)
    assert note.emailed_at is None


def test_immediate_users_are_mailed_at_once_and_not_in_the_digest(people):
    w = people
    notifications.set_delivery(w.a_head, Delivery.IMMEDIATE)
    notifications.notify(
        [w.a_head, w.a_secretary], key="nc:1:overdue", subject="Quá hạn khắc phục", url="/x/"
    )
    assert [m.to for m in mail.outbox] == [["thutruong@example.vn"]]
    assert "/x/" in mail.outbox[0].body
    mail.outbox.clear()
    assert digest.send_digests(_today()) == 1  # the secretary's digest only
    assert mail.outbox[0].to == ["thuky@example.vn"]


def test_in_app_users_get_no_e_mail(people):
    w = people
    notifications.set_delivery(w.a_secretary, Delivery.IN_APP)
    notifications.notify([w.a_secretary], key="k:1", subject="Chỉ trong hệ thống")
    assert digest.send_digests(_today()) == 0
    assert mail.outbox == []
    assert notifications.unread_count(w.a_secretary) == 1


def test_the_digest_lists_each_users_notifications_once(people):
    w = people
    notifications.notify(
        [w.a_secretary], key="k:1", subject="Tài liệu QT-01 cần xem xét", url="/documents/1/"
    )
    notifications.notify([w.a_secretary], key="k:2", subject="Đánh giá nội bộ sắp đến hạn")
    notifications.notify([w.b_secretary], key="k:3", subject="Việc của B", url="/b/")
    with translation.override("en"):
        assert digest.send_digests(_today()) == 2
    by_user = {m.to[0]: m for m in mail.outbox}
    a_mail = by_user["thuky@example.vn"]
    assert "Tài liệu QT-01 cần xem xét" in a_mail.body
    assert "Đánh giá nội bộ sắp đến hạn" in a_mail.body
    assert "/documents/1/" in a_mail.body
    assert "Việc của B" not in a_mail.body
    assert "2" in a_mail.subject
    html = a_mail.alternatives[0][0]
    assert 'href="/documents/1/"' in html
    assert "Việc của B" in by_user["thukyb@example.vn"].body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    # Idempotent: running it again, or through the sweep, sends nothing new.
    mail.outbox.clear()
    assert digest.send_digests(_today()) == 0
    assert sweep.run_daily(_today())["core.notification_digests"] == 0
    assert mail.outbox == []
    # A new notification goes into the next digest, alone.
    notifications.notify([w.a_secretary], key="k:4", subject="Thông báo mới")
    assert digest.send_digests(_today()) == 1
    assert "Thông báo mới" in mail.outbox[0].body
    assert "Tài liệu QT-01" not in mail.outbox[0].body


def test_read_old_and_addressless_notifications_are_not_mailed(people):
    w = people
    notifications.notify([w.a_secretary], key="k:read", subject="Đã đọc")
    notifications.mark_read(w.a_secretary)
    old = notifications.notify([w.a_secretary], key="k:old", subject="Cũ")[0]
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=digest.DIGEST_DAYS + 2)
    )
    notifications.notify([w.a_staff], key="k:staff", subject="Không có địa chỉ")
    assert digest.send_digests(_today()) == 0
    assert mail.outbox == []


def test_the_digest_is_a_daily_sweep_job(people):
    assert "core.notification_digests" in sweep.daily_jobs()
    notifications.notify([people.a_secretary], key="k:1", subject="Qua sweep")
    assert sweep.run_daily(_today())["core.notification_digests"] == 1
    assert len(mail.outbox) == 1


def test_the_digest_is_written_in_vietnamese(people):
    notifications.notify([people.a_secretary], key="k:1", subject="Một việc")
    digest.send_digests(_today())
    message = mail.outbox[0]
    assert "govqms" in message.subject
    with translation.override("vi"):
        expected = translation.ngettext(
            "govqms: %(n)s new notification", "govqms: %(n)s new notifications", 1
        ) % {"n": 1}
    assert message.subject == expected


def test_set_delivery_is_audited_and_refuses_unknown_values(people):
    w = people
    notifications.set_delivery(w.a_secretary, Delivery.IMMEDIATE)
    entry = AuditEntry.objects.filter(action="notification_delivery_changed").get()
    assert entry.actor == w.a_secretary
    assert entry.changes == {"delivery": ["digest", "immediate"]}
    with pytest.raises(ValueError):
        notifications.set_delivery(w.a_secretary, "sms")
    assert notifications.delivery_of(w.a_secretary) == Delivery.IMMEDIATE


def _radio(page: str, value: str) -> str:
    """The <input> tag of the delivery choice `value`."""
    (tag,) = re.findall(rf'<input[^>]*value="{value}"[^>]*>', page)
    return tag


def test_settings_form_on_the_notifications_page(client, people):
    w = people
    client.cookies["django_language"] = "en"
    client.force_login(w.a_secretary)
    page = client.get(reverse("notifications")).content.decode()
    assert 'action="/notifications/settings/"' in page
    assert "daily digest" in page
    assert "checked" in _radio(page, "digest") and "checked" not in _radio(page, "immediate")
    response = client.post(reverse("notification_settings"), {"delivery": "immediate"})
    assert response.status_code == 302 and response["Location"] == reverse("notifications")
    assert notifications.delivery_of(w.a_secretary) == Delivery.IMMEDIATE
    # Only my own preference changes.
    assert notifications.delivery_of(w.b_secretary) == Delivery.DIGEST
    page = client.get(reverse("notifications")).content.decode()
    assert "checked" in _radio(page, "immediate") and "checked" not in _radio(page, "digest")
    assert "Your e-mail preference is saved." in page
    # The settings page on its own, and a bad value.
    assert client.get(reverse("notification_settings")).status_code == 200
    bad = client.post(reverse("notification_settings"), {"delivery": "sms"})
    assert bad.status_code == 400
    assert notifications.delivery_of(w.a_secretary) == Delivery.IMMEDIATE


def test_settings_need_a_signed_in_user(client):
    response = client.post(reverse("notification_settings"), {"delivery": "in_app"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_digest_runs_after_every_other_daily_job():
    from govqms.core.sweep import daily_jobs

    names = list(daily_jobs())
    assert names[-1] == "core.notification_digests"
    assert len(names) > 1

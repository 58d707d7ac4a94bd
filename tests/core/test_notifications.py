"""Notifications: once per key, mailed when the user has an address, own only."""

import pytest
from django.core import mail
from django.urls import reverse

from govqms.core import notifications

pytestmark = pytest.mark.django_db


def test_notify_is_once_per_key_and_mails(world):
    user = world.a_secretary
    user.email = "thuky@example.vn"
    user.save()
    notifications.set_delivery(user, "immediate")  # the default is the daily digest
    first = notifications.notify([user, user], key="plan:1:due", subject="Sắp đến hạn", url="/x/")
    again = notifications.notify([user], key="plan:1:due", subject="Sắp đến hạn")
    assert len(first) == 1 and again == []
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["thuky@example.vn"]
    assert notifications.unread_count(user) == 1


def test_page_shows_only_my_notifications_and_marks_read(client, world):
    notifications.notify([world.a_secretary], key="k:a", subject="Việc của A")
    notifications.notify([world.b_secretary], key="k:b", subject="Việc của B")
    client.force_login(world.a_secretary)
    page = client.get(reverse("notifications")).content.decode()
    assert "Việc của A" in page and "Việc của B" not in page
    # marking someone else's notification by pk does nothing
    other = notifications.for_user(world.b_secretary).get()
    client.post(reverse("notifications_read"), {"pk": other.pk})
    assert notifications.unread_count(world.b_secretary) == 1
    client.post(reverse("notifications_read"))
    assert notifications.unread_count(world.a_secretary) == 0

"""Home panels: the agency's satisfaction and open complaints; the DoST's overview."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from govqms.feedback import services
from tests.feedback.factories import respond


def test_agency_and_dost_homes_show_the_panels(client, world):
    respond(world.b, [4, 4, 4, 4, 4], at=timezone.localdate())
    services.create_complaint(
        None,
        world.b,
        channel="phone",
        received_on=dt.date(2026, 1, 5),
        subject="Quá hạn",
        content="Chưa trả lời",
    )
    client.cookies["django_language"] = "en"
    client.force_login(world.b_secretary)
    body = client.get(reverse("agency_detail", args=[world.b.pk])).content.decode()
    assert "feedback-agency-panel" in body and reverse("satisfaction", args=[world.b.pk]) in body
    # five answers of 4 out of 5: (4 - 1) / 4 = 75 %; the complaint is still open
    assert "Index 75.0 % from 1 response" in body and "1 complaint open" in body
    client.force_login(world.dost_officer)
    body = client.get(reverse("agency_list")).content.decode()
    assert "feedback-oversight-panel" in body and reverse("oversight_satisfaction") in body
    assert "1 agency rated" in body

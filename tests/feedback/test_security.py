"""Security review of the public feedback pages."""

import pytest
from django.urls import reverse

from govqms.feedback.models import SurveyQuestion


@pytest.mark.django_db
def test_public_pages_exist_only_for_agencies_of_the_system(world, client):
    """The provincial people's committee (outside the DoST's remit) has no public
    survey: no anonymous visit creates records for it."""
    for name in ("public_survey", "public_complaint", "public_survey_qr_svg"):
        assert client.get(reverse(name, args=[world.p.code])).status_code == 404, name
        assert client.get(reverse(name, args=["NO-SUCH"])).status_code == 404, name
    assert not SurveyQuestion.objects.filter(unit=world.p).exists()
    assert client.get(reverse("public_survey", args=[world.a.code])).status_code == 200

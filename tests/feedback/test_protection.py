"""Ballot stuffing: each protection of the public survey, through the service and
through the page. A refused submission is not counted and gets a polite message."""

import time

import pytest
from django.urls import reverse
from django.utils import translation

from govqms.feedback import protection, services
from govqms.feedback.models import FormToken, SurveyResponse
from govqms.feedback.protection import Refused
from tests.feedback.factories import token


@pytest.fixture
def unit(world):
    return world.b


@pytest.fixture
def questions(unit):
    return services.ensure_questions(unit, 2026)


def submit(unit, questions, **overrides):
    kwargs = {
        "token": token(unit),
        "data": {},
        "ip": "198.51.100.20",
        "scores": {q.pk: 5 for q in questions},
    }
    kwargs.update(overrides)
    return services.submit_survey(unit, **kwargs)


def test_a_valid_submission_is_counted(unit, questions):
    response = submit(unit, questions)
    assert SurveyResponse.objects.filter(unit=unit).count() == 1
    assert response.answers.count() == len(questions) == 5


def test_a_token_is_used_once(unit, questions):
    t = token(unit)
    submit(unit, questions, token=t)
    with pytest.raises(Refused) as refused:
        submit(unit, questions, token=t)
    assert refused.value.reason == "token_reused"
    assert SurveyResponse.objects.filter(unit=unit).count() == 1


def test_an_old_token_is_refused(unit, questions):
    old = protection.issue_token(
        services.SURVEY_FORM,
        unit.pk,
        issued_at=time.time() - protection.TOKEN_MAX_AGE.total_seconds() - 60,
    )
    with pytest.raises(Refused) as refused:
        submit(unit, questions, token=old)
    assert refused.value.reason == "token_expired"
    assert not SurveyResponse.objects.exists()


def test_a_submission_faster_than_three_seconds_is_refused(unit, questions):
    with pytest.raises(Refused) as refused:
        submit(unit, questions, token=token(unit, age=1))
    assert refused.value.reason == "too_fast"
    assert not SurveyResponse.objects.exists() and not FormToken.objects.exists()
    # The same person, a little later, with a fresh form, is counted.
    submit(unit, questions, token=token(unit, age=4))
    assert SurveyResponse.objects.count() == 1


def test_forged_or_foreign_tokens_are_refused(unit, questions, world):
    for bad in [
        "",
        "garbage",
        token(unit)[:-2] + "xx",
        token(world.c),
        token(unit, form="complaint"),
    ]:
        with pytest.raises(Refused) as refused:
            submit(unit, questions, token=bad)
        assert refused.value.reason == "token_invalid"
    assert not SurveyResponse.objects.exists()


def test_the_honeypot_must_stay_empty(unit, questions):
    with pytest.raises(Refused) as refused:
        submit(unit, questions, data={protection.HONEYPOT_FIELD: "http://spam.example"})
    assert refused.value.reason == "honeypot"
    assert not SurveyResponse.objects.exists()


def test_at_most_five_an_hour_from_one_address_to_one_agency(unit, questions, world):
    for _ in range(protection.RATE_LIMIT):
        submit(unit, questions, ip="192.0.2.1")
    with pytest.raises(Refused) as refused:
        submit(unit, questions, ip="192.0.2.1")
    assert refused.value.reason == "rate_limited"
    # Another address, or another agency, is not limited.
    submit(unit, questions, ip="192.0.2.2")
    other = services.ensure_questions(world.c, 2026)
    submit(world.c, other, ip="192.0.2.1")
    assert SurveyResponse.objects.filter(unit=unit).count() == protection.RATE_LIMIT + 1


def test_only_a_salted_hash_of_the_address_is_stored(unit, questions):
    response = submit(unit, questions, ip="192.0.2.55")
    assert response.ip_hash and "192.0.2.55" not in response.ip_hash
    assert response.ip_hash == protection.hash_ip("192.0.2.55")
    assert response.ip_hash != protection.hash_ip("192.0.2.56")
    stored = SurveyResponse.objects.filter(pk=response.pk).values()[0]
    assert not any("192.0.2.55" in str(v) for v in stored.values())


def test_one_response_per_dossier_code_per_agency(unit, questions, world):
    submit(unit, questions, dossier_code="000.00.31.H06-260302-0042")
    with pytest.raises(Refused) as refused:
        submit(unit, questions, dossier_code=" 000.00.31.h06-260302-0042 ", ip="192.0.2.9")
    assert refused.value.reason == "dossier_repeat"
    assert SurveyResponse.objects.filter(unit=unit).count() == 1
    # The same code at another agency is another dossier.
    submit(
        world.c, services.ensure_questions(world.c, 2026), dossier_code="000.00.31.H06-260302-0042"
    )


def test_the_page_refuses_politely_and_does_not_count(client, unit):
    url = reverse("public_survey", args=[unit.code])
    page = client.get(url)
    assert page.status_code == 200
    questions = page.context["questions"]
    # The token served with the page is too fresh to be a person's answer.
    data = {"token": page.context["token"], "procedure": "other"}
    data.update({f"q{q.pk}": "4" for q in questions})
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        response = client.post(url, data)
    assert response.status_code == 200
    assert "take a moment" in response.content.decode()
    assert not SurveyResponse.objects.exists()
    # Honeypot through the page.
    data["token"] = token(unit)
    data[protection.HONEYPOT_FIELD] = "x"
    response = client.post(url, data)
    assert response.status_code == 200 and not SurveyResponse.objects.exists()
    # A person's answer is counted and thanked.
    del data[protection.HONEYPOT_FIELD]
    data["token"] = token(unit)
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("public_survey_thanks", args=[unit.code])
    assert SurveyResponse.objects.count() == 1
    # The same form sent again is not counted twice.
    response = client.post(url, data)
    assert response.status_code == 200 and SurveyResponse.objects.count() == 1


def test_the_public_complaint_form_has_the_same_protections(client, unit):
    from govqms.feedback.models import Complaint

    url = reverse("public_complaint", args=[unit.code])
    assert client.get(url).status_code == 200
    data = {"subject": "Chờ lâu", "content": "Tôi phải chờ hai giờ.", "procedure": "other"}
    assert (
        client.post(url, {**data, "token": token(unit, age=1, form="complaint")}).status_code == 200
    )
    assert client.post(url, {**data, "token": token(unit, form="survey")}).status_code == 200
    honey = {**data, "token": token(unit, form="complaint"), protection.HONEYPOT_FIELD: "x"}
    assert client.post(url, honey).status_code == 200
    assert not Complaint.objects.exists()
    good = {**data, "token": token(unit, form="complaint"), "complainant_name": "Trần Thị Mai"}
    response = client.post(url, good)
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.channel == "portal" and complaint.submitted_online
    assert complaint.complainant_name == "Trần Thị Mai"
    assert client.post(url, good).status_code == 200  # the same token again
    for _ in range(protection.RATE_LIMIT - 1):
        assert client.post(url, {**data, "token": token(unit, form="complaint")}).status_code == 302
    assert client.post(url, {**data, "token": token(unit, form="complaint")}).status_code == 200
    assert Complaint.objects.count() == protection.RATE_LIMIT


def test_an_unknown_agency_code_is_404(client, db):
    assert client.get(reverse("public_survey", args=["NO-SUCH"])).status_code == 404

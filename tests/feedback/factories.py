"""Builders for the feedback tests."""

import datetime as dt
import time

from django.utils import timezone

from govqms.feedback import protection, services
from govqms.feedback.models import SurveyResponse
from tests.procedures.factories import make_tthc

BIRTH = {"code": "1.001193", "name": "Đăng ký khai sinh"}
MARRIAGE = {"code": "1.000894", "name": "Đăng ký kết hôn"}


def assign(unit, **tthc):
    from govqms.procedures import services as procedures

    procedure = make_tthc(**tthc)
    procedures.assign(None, procedure, [unit], assigned_on=dt.date(2020, 10, 1))
    return procedure


def token(unit, form=services.SURVEY_FORM, age: float = 10):
    """A token issued `age` seconds ago (the form was filled at human speed)."""
    return protection.issue_token(form, unit.pk, issued_at=time.time() - age)


def respond(unit, scores, *, procedure=None, dossier_code="", ip="203.0.113.7", at=None, **kw):
    """A survey response with `scores` (a list, one per question in order)."""
    year = (at or timezone.localdate()).year if at else timezone.localdate().year
    questions = services.ensure_questions(unit, year)
    response = services.submit_survey(
        unit,
        token=token(unit),
        data={},
        ip=ip,
        procedure=procedure,
        dossier_code=dossier_code,
        scores={q.pk: s for q, s in zip(questions, scores, strict=False) if s is not None},
        **kw,
    )
    if at is not None:
        moment = timezone.make_aware(dt.datetime.combine(at, dt.time(10, 0)))
        SurveyResponse.objects.filter(pk=response.pk).update(submitted_at=moment)
        response.refresh_from_db()
    return response

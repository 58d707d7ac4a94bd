"""Audit entries as people read them: field labels, choice labels, dates, decimals."""

from types import SimpleNamespace

from django.utils import translation

from govqms.core.audit import audit_change_rows


def _entry(changes, object_type="assessments.assessment"):
    return SimpleNamespace(object_type=object_type, changes=changes)


def test_fields_choices_dates_and_decimals_read_as_words_in_vietnamese():
    entry = _entry(
        {
            "status": ["draft", "submitted"],
            "self_total": [None, "80.50"],
            "contest_due": [None, "2026-12-04"],
        }
    )
    with translation.override("vi"):
        rows = {r["label"]: r for r in audit_change_rows(entry)}
    status = next(r for r in rows.values() if r["before"] and "→" not in r["before"])
    assert "draft" not in status["before"] and "submitted" not in status["after"]
    assert any(r["after"] == "80,5" for r in rows.values())
    assert any(r["after"] == "04/12/2026" for r in rows.values())
    assert not any(label in ("status", "self_total", "contest_due") for label in rows)


def test_unknown_models_and_fields_still_show_their_values():
    rows = audit_change_rows(_entry({"weird_key": "x", "n": [1, 2]}, object_type="nope.none"))
    assert rows == [
        {"label": "Weird key", "before": "", "after": "x"},
        {"label": "N", "before": "1", "after": "2"},
    ]

"""Isolation cases of the dossiers app (dossiers/urls.py and dossiers/api_urls.py).

The batch API's POST (a write) is checked role by role in tests/dossiers/test_api.py;
here its GET (the batches the caller may see) is the LIST case."""

from govqms.dossiers.models import ImportProfile
from govqms.dossiers.services.imports import import_api_batch
from tests.isolation import AGENCY, DOST_ADMIN, LIST, MANAGE, Route
from tests.isolation.cases_documents import once


@once
def _batch(w, target):
    payload = {
        "dossiers": [
            {
                "code": f"{target.code}-HS-1",
                "received_at": "2026-01-05T10:00:00+07:00",
                "events": [{"kind": "received", "at": "2026-01-05T10:00:00+07:00"}],
            }
        ]
    }
    batch, result = import_api_batch(None, target, payload, f"iso-{target.code}")
    assert result.ok, result.errors
    return batch


def _unit_pk(w, target):
    return {"unit_pk": target.pk}


def _dossier_pk(w, target):
    return {"pk": _batch(w, target).dossiers.get().pk}


def _batch_pk(w, target):
    return {"pk": _batch(w, target).pk}


def _listed(w, target):
    _batch(w, target)
    return {}


def _profile(w, target):
    profile, _ = ImportProfile.objects.get_or_create(
        unit=target,
        name=f"Hồ sơ một cửa {target.code}",
        defaults={"mapping": {"code": "Mã", "received_at": "Ngày nhận"}},
    )
    return profile


def _profile_pk(w, target):
    return {"unit_pk": target.pk, "pk": _profile(w, target).pk}


def _shared_profile_pk(w, target):
    profile, _ = ImportProfile.objects.get_or_create(
        unit=None,
        name="Phần mềm một cửa dùng chung",
        defaults={"mapping": {"code": "Mã", "received_at": "Ngày nhận"}},
    )
    return {"pk": profile.pk}


ROUTES = {
    "dossier_profile_list": Route(AGENCY, _unit_pk),
    "dossier_profile_detail": Route(AGENCY, _profile_pk),
    "dossier_profile_new": Route(MANAGE, _unit_pk),
    "dossier_profile_edit": Route(MANAGE, _profile_pk),
    "dossier_profile_delete": Route(MANAGE, _profile_pk),
    "shared_profile_list": Route(DOST_ADMIN),
    "shared_profile_new": Route(DOST_ADMIN),
    "shared_profile_edit": Route(DOST_ADMIN, _shared_profile_pk),
    "shared_profile_delete": Route(DOST_ADMIN, _shared_profile_pk),
    "dossier_list": Route(AGENCY, _unit_pk),
    "dossier_detail": Route(AGENCY, _dossier_pk),
    "dossier_import": Route(MANAGE, _unit_pk),
    "dossier_import_batch": Route(AGENCY, _batch_pk),
    "api-dossier-batches": Route(LIST, _listed),
}

"""Isolation cases of the legal register and the update tasks (documents/urls_legal.py)."""

from govqms.documents.models import LegalDocument
from tests.isolation import AGENCY, DOST_ADMIN, SELF, Route


def _legal(w, target):
    legal = LegalDocument.objects.filter(number="61/2018/NĐ-CP").first()
    if legal is None:
        legal = LegalDocument(
            number="61/2018/NĐ-CP",
            title="Nghị định về thực hiện cơ chế một cửa, một cửa liên thông",
            issuer="Chính phủ",
        )
        legal.refresh_search_text()
        legal.save()
    return {"pk": legal.pk}


ROUTES = {
    # The register is shared by every agency: any signed-in user may read it.
    "legal_list": Route(SELF),
    "legal_detail": Route(SELF, _legal),
    "legal_create": Route(DOST_ADMIN),
    "legal_edit": Route(DOST_ADMIN, _legal),
    "update_task_list": Route(AGENCY, lambda w, target: {"unit_pk": target.pk}),
}

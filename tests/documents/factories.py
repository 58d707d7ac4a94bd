"""Builders for document tests."""

from govqms.documents.models import DocumentKind
from govqms.documents.services import versions

PROCEDURE = {
    "purpose": "Quy định trình tự đăng ký khai sinh tại Ủy ban nhân dân xã.",
    "scope": "Áp dụng cho công chức Tư pháp - Hộ tịch.",
    "references": ["TCVN ISO 9001:2015", "Luật Hộ tịch 2014"],
    "definitions": [{"term": "TTHC", "meaning": "Thủ tục hành chính"}],
    "legal_basis": "Luật Hộ tịch số 60/2014/QH13; Nghị định 123/2015/NĐ-CP.",
    "conditions": "Có giấy chứng sinh.",
    "dossier_components": [
        {"name": "Tờ khai đăng ký khai sinh", "original": 1, "copy": 0, "sets": 1},
        {"name": "Giấy chứng sinh", "original": 1, "copy": 0, "sets": 1},
    ],
    "processing_time": "Ngay trong ngày làm việc.",
    "where": "Bộ phận Một cửa Ủy ban nhân dân xã.",
    "fees": "Miễn lệ phí.",
    "steps": [
        {
            "step": "B1",
            "name": "Tiếp nhận hồ sơ",
            "responsible": "Bộ phận Một cửa",
            "hours": 1,
            "form": "Phiếu tiếp nhận",
        },
        {
            "step": "B2",
            "name": "Thẩm định",
            "responsible": "Công chức Tư pháp - Hộ tịch",
            "hours": 4,
            "form": "Tờ trình",
        },
        {
            "step": "B3",
            "name": "Ký duyệt",
            "responsible": "Chủ tịch UBND xã",
            "hours": 2,
            "form": "Giấy khai sinh",
        },
        {
            "step": "B4",
            "name": "Trả kết quả",
            "responsible": "Bộ phận Một cửa",
            "hours": 1,
            "form": "Sổ theo dõi",
        },
    ],
    "forms": [{"code": "BM-01", "name": "Tờ khai đăng ký khai sinh"}],
    "records": [
        {
            "record": "Sổ đăng ký khai sinh",
            "keeper": "Công chức Tư pháp - Hộ tịch",
            "retention": "Vĩnh viễn",
        }
    ],
}


def make_procedure(
    unit, actor=None, code="QT-01", title="Quy trình đăng ký khai sinh", content=None
):
    return versions.create_document(
        actor,
        unit=unit,
        code=code,
        title=title,
        kind=DocumentKind.OPERATIONAL_PROCEDURE,
        division="Tư pháp - Hộ tịch",
        content=content or PROCEDURE,
    )


def make_effective_procedure(world, unit=None, **kwargs):
    """A procedure taken through the default steps by the agency's own people."""
    unit = unit or world.a
    secretary = world.a_secretary if unit == world.a else world.b_secretary
    document = make_procedure(unit, **kwargs)
    version = document.versions.get()
    versions.submit_for_review(None, version)
    version.refresh_from_db()
    from govqms.organizations.models import Role
    from tests.factories import make_user

    head = (
        world.a_head
        if unit == world.a
        else make_user(f"head_{unit.code}", unit=unit, role=Role.HEAD)
    )
    versions.decide(secretary, version, approve=True)
    versions.decide(head, version, approve=True)
    versions.make_effective(secretary, version)
    version.refresh_from_db()
    return document, version

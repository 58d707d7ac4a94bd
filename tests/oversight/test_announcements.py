"""Conformity announcements: recording one, and the re-announcement flag after a
scope change or a restructuring."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from govqms.organizations import services as orgs
from govqms.oversight import selectors
from govqms.procedures import services as procs
from tests.oversight.factories import PDF_BYTES, announce, assign_tthc

pytestmark = pytest.mark.django_db


def test_never_announced_is_none(world):
    assert selectors.announcement_status(world.a).status == selectors.NONE


def test_announcement_is_current_when_nothing_changed_after_it(world):
    assign_tthc(world.a, on=dt.date(2023, 5, 1))
    ann = announce(world.a, world.a_head, on=dt.date(2024, 3, 1))
    st = selectors.announcement_status(world.a)
    assert st.status == selectors.CURRENT and st.current == ann and st.reasons == []


def test_a_tthc_assigned_after_the_announcement_flags_re_announcement(world):
    announce(world.a, world.a_head, on=dt.date(2024, 3, 1))
    assign_tthc(world.a, code="2.000635", on=dt.date(2025, 1, 10))
    st = selectors.announcement_status(world.a)
    assert st.status == selectors.NEEDED
    assert "2.000635" in st.reasons[0]["label"] and "10/01/2025" in st.reasons[0]["label"]
    # A new announcement clears the flag.
    announce(world.a, world.a_head, on=dt.date(2025, 2, 1), number="05/QĐ-UBND")
    assert selectors.announcement_status(world.a).status == selectors.CURRENT


def test_a_tthc_withdrawn_after_the_announcement_flags_re_announcement(world):
    assignment = assign_tthc(world.a, code="2.000635", on=dt.date(2023, 1, 10))
    announce(world.a, world.a_head, on=dt.date(2024, 3, 1))
    assert selectors.announcement_status(world.a).status == selectors.CURRENT
    procs.end_assignment(world.dost_admin, assignment, ended_on=dt.date(2025, 4, 1))
    st = selectors.announcement_status(world.a)
    assert st.status == selectors.NEEDED and "withdrawn" in st.reasons[0]["label"]


def test_an_agency_created_by_a_merger_must_announce_again(world):
    announce(world.a, world.a_head, on=dt.date(2024, 3, 1))
    change = orgs.merge_units(
        None,
        [world.a, world.b],
        date=dt.date(2025, 7, 1),
        legal_basis="Nghị quyết 1/2025/NQ-UBTVQH15",
        into=world.a,
    )
    assert world.a in change.to_units.all()
    st = selectors.announcement_status(world.a)
    assert st.status == selectors.NEEDED
    assert any("merger" in r["label"] and "01/07/2025" in r["label"] for r in st.reasons)
    announce(world.a, world.a_head, on=dt.date(2025, 7, 15), number="09/QĐ-UBND")
    assert selectors.announcement_status(world.a).status == selectors.CURRENT


def test_a_new_agency_from_a_split_has_no_announcement_and_the_reason(world):
    change = orgs.split_unit(
        None,
        world.b,
        date=dt.date(2025, 7, 1),
        legal_basis="Nghị quyết 2/2025/NQ-UBTVQH15",
        into=[
            {
                "code": "P-B1",
                "name": "Ủy ban nhân dân phường Bắc Giang",
                "kind": "commune_pc",
                "province": "Bắc Ninh",
                "parent": world.p,
            },
            {
                "code": "P-B2",
                "name": "Ủy ban nhân dân phường Nam Giang",
                "kind": "commune_pc",
                "province": "Bắc Ninh",
                "parent": world.p,
            },
        ],
    )
    new = change.to_units.get(code="P-B1")
    st = selectors.announcement_status(new)
    assert st.status == selectors.NONE and "split" in st.reasons[0]["label"]


def test_statuses_of_many_agencies_in_a_few_queries(world, django_assert_max_num_queries):
    announce(world.a, world.a_head)
    with django_assert_max_num_queries(4):
        statuses = selectors.announcement_statuses([world.a, world.b, world.c])
    assert statuses[world.a.pk].status == selectors.CURRENT
    assert statuses[world.b.pk].status == selectors.NONE


def test_head_or_secretary_records_with_a_signed_pdf(world):
    tthc = assign_tthc(world.a, on=dt.date(2023, 5, 1)).procedure
    ann = announce(
        world.a,
        world.a_secretary,
        procedures=[tthc.pk],
        signed_file=SimpleUploadedFile("quyet-dinh.pdf", PDF_BYTES, "application/pdf"),
        posted_at_office=True,
        posted_url="https://dongphong.bacninh.gov.vn/iso",
    )
    assert ann.procedure_count == 1 and list(ann.procedures.all()) == [tthc]
    assert ann.file_name == "quyet-dinh.pdf" and ann.signed_file.name.endswith(".pdf")
    assert "quyet-dinh" not in ann.signed_file.name  # names never trusted
    from govqms.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="announcement_recorded", unit=world.a).exists()


@pytest.mark.parametrize(
    "name,content",
    [("quyet-dinh.pdf", b"just text, not a PDF"), ("quyet-dinh.docx", b"MZ\x90\x00binary")],
)
def test_a_signed_file_that_is_not_a_pdf_is_refused(world, name, content):
    with pytest.raises(ValidationError) as exc:
        announce(world.a, world.a_head, signed_file=SimpleUploadedFile(name, content))
    assert "signed_file" in exc.value.message_dict


def test_a_signed_file_over_the_limit_is_refused(world, settings):
    settings.GOVQMS_MAX_ATTACHMENT_BYTES = 10
    with pytest.raises(ValidationError):
        announce(world.a, world.a_head, signed_file=SimpleUploadedFile("a.pdf", PDF_BYTES))


def test_tthc_outside_the_agency_scope_are_refused(world):
    other = assign_tthc(world.b, code="1.000001").procedure
    with pytest.raises(ValidationError) as exc:
        announce(world.a, world.a_head, procedures=[other.pk])
    assert "procedures" in exc.value.message_dict


@pytest.mark.parametrize("who", ["a_staff", "a_process_owner", "a_internal_auditor"])
def test_other_agency_roles_may_not_record(world, who):
    with pytest.raises(PermissionDenied):
        announce(world.a, world.users[who])


def test_oversight_and_other_agencies_may_not_record(world):
    for user in (world.dost_officer, world.dost_admin, world.b_secretary):
        with pytest.raises(PermissionDenied):
            announce(world.a, user)


def test_a_future_decision_date_is_refused(world):
    with pytest.raises(ValidationError):
        announce(world.a, world.a_head, on=dt.date.today() + dt.timedelta(days=3))


def test_an_empty_file_object_check():
    from govqms.oversight.services import check_signed_file

    check_signed_file(io.BytesIO(PDF_BYTES), "x.pdf")

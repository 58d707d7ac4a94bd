"""The demo's documented information: the DoST's model framework, adopted by every
agency of the new Bắc Ninh, with the variety a real province shows.

Everything goes through the services an agency's people use (adopt, edit, submit,
sign, set in force, acknowledge), so the audit trail and the read tasks are real:
- every agency adopts the six system procedures; communes also adopt the commune
  operational procedures (a reduced set by default, all with `full=True`);
- most documents are in force since early 2026; the agencies that adopted in July
  2025 and never reviewed are overdue for review;
- one agency in five has a new issue of its first procedure in review;
- one agency in three still cites Nghị định 61/2018/NĐ-CP, which Nghị định
  118/2025/NĐ-CP replaced on 1 July 2025: their procedures carry an overdue update task;
- read acknowledgements are partly done.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from django.db import transaction

from govqms.documents.framework_data import load_default_framework
from govqms.documents.models import (
    Acknowledgement,
    Document,
    DocumentKind,
    LegalDocument,
    LegalStatus,
)
from govqms.documents.services import awareness, framework, legal, versions
from govqms.organizations.models import Membership, Role, Unit, UnitKind

# Legal documents the demo's procedures cite (numbers, titles and dates as published).
LEGAL_DOCUMENTS = [
    {
        "number": "19/2014/QĐ-TTg",
        "title": "Quyết định về việc áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn "
        "quốc gia TCVN ISO 9001:2008 vào hoạt động của các cơ quan, tổ chức thuộc hệ "
        "thống hành chính nhà nước",
        "issuer": "Thủ tướng Chính phủ",
        "issued": dt.date(2014, 3, 5),
        "effective": dt.date(2014, 5, 1),
    },
    {
        "number": "61/2018/NĐ-CP",
        "title": "Nghị định về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết "
        "thủ tục hành chính",
        "issuer": "Chính phủ",
        "issued": dt.date(2018, 4, 23),
        "effective": dt.date(2018, 6, 21),
    },
    {
        "number": "118/2025/NĐ-CP",
        "title": "Nghị định về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên "
        "thông tại Bộ phận Một cửa và Cổng Dịch vụ công quốc gia",
        "issuer": "Chính phủ",
        "issued": dt.date(2025, 6, 9),
        "effective": dt.date(2025, 7, 1),
    },
    {
        "number": "123/2015/NĐ-CP",
        "title": "Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch",
        "issuer": "Chính phủ",
        "issued": dt.date(2015, 11, 15),
        "effective": dt.date(2016, 1, 1),
    },
    {
        "number": "23/2015/NĐ-CP",
        "title": "Nghị định về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng "
        "thực chữ ký và chứng thực hợp đồng, giao dịch",
        "issuer": "Chính phủ",
        "issued": dt.date(2015, 2, 16),
        "effective": dt.date(2015, 4, 10),
    },
]
OLD_ONE_STOP, NEW_ONE_STOP = "61/2018/NĐ-CP", "118/2025/NĐ-CP"
REPLACED_ON = dt.date(2025, 7, 1)
ADOPTED_EARLY = dt.date(2025, 7, 15)  # right after the reform: overdue for review by now
IN_FORCE_FROM = dt.date(2026, 1, 5)
# Commune procedures adopted by default (template codes); `full=True` takes them all.
REDUCED_COMMUNE_SET = 4


@dataclass
class DocumentsSummary:
    loaded: bool
    seconds: float = 0.0
    counts: dict = field(default_factory=dict)


def is_loaded() -> bool:
    return LegalDocument.objects.filter(number=NEW_ONE_STOP).exists() and (
        Document.objects.exclude(template=None).exists()
    )


def _people(unit: Unit):
    """(ISO secretary, head) of an agency, or None when it lacks one."""
    by_role = {}
    for m in (
        Membership.objects.active_on()
        .filter(unit=unit, role__in=[Role.ISO_SECRETARY, Role.HEAD])
        .select_related("user")
        .order_by("pk")
    ):
        by_role.setdefault(m.role, m.user)
    if Role.ISO_SECRETARY in by_role and Role.HEAD in by_role:
        return by_role[Role.ISO_SECRETARY], by_role[Role.HEAD]
    return None


def _take_into_force(document, secretary, head, *, cites, effective_from):
    version = document.versions.get()
    versions.edit_draft(secretary, version, legal_references=cites)
    versions.submit_for_review(secretary, version)
    versions.decide(secretary, version, approve=True)
    versions.decide(head, version, approve=True)
    versions.make_effective(secretary, version, effective_from=effective_from)
    return version


def _acknowledge_part(version, share: float) -> int:
    tasks = list(Acknowledgement.objects.filter(version=version).select_related("user"))
    done = 0
    for task in tasks[: int(len(tasks) * share)]:
        awareness.acknowledge(task.user, task)
        done += 1
    return done


def load_demo_documents(stdout=None, *, full: bool = False, units=None) -> DocumentsSummary:
    """Load the framework and the agencies' documents (idempotent). `units` limits the
    agencies (tests); by default every active agency in the DoST's remit."""
    if is_loaded():
        return DocumentsSummary(loaded=False)
    started = time.perf_counter()
    counts = {"documents": 0, "in review": 0, "overdue reviews": 0, "acknowledged": 0}
    with transaction.atomic():
        legal_docs = {}
        for data in LEGAL_DOCUMENTS:
            existing = LegalDocument.objects.filter(number=data["number"]).first()
            legal_docs[data["number"]] = existing or legal.create_legal_document(None, **data)
        dost = Unit.objects.active_on().filter(kind=UnitKind.DOST).order_by("-valid_from").first()
        published = load_default_framework(dost)
        templates = list(published.templates.order_by("code"))
        system = [t for t in templates if t.kind == DocumentKind.SYSTEM_PROCEDURE]
        operational = [t for t in templates if t.kind != DocumentKind.SYSTEM_PROCEDURE]
        if not full:
            operational = operational[:REDUCED_COMMUNE_SET]
        if units is None:
            units = Unit.objects.active_on().filter(in_dost_remit=True).order_by("path")
        for index, unit in enumerate(units):
            people = _people(unit)
            if people is None:
                continue
            secretary, head = people
            chosen = system + (operational if unit.kind == UnitKind.COMMUNE_PC else [])
            cites_old = index % 3 == 0
            early = index % 7 == 0
            effective_from = (
                ADOPTED_EARLY if early else IN_FORCE_FROM + dt.timedelta(days=index % 20)
            )
            for position, template in enumerate(chosen):
                document = framework.adopt(secretary, template, unit)
                cites = [legal_docs["19/2014/QĐ-TTg"]]
                if template.kind != DocumentKind.SYSTEM_PROCEDURE:
                    cites.append(legal_docs[OLD_ONE_STOP if cites_old else NEW_ONE_STOP])
                version = _take_into_force(
                    document, secretary, head, cites=cites, effective_from=effective_from
                )
                counts["documents"] += 1
                counts["overdue reviews"] += int(early)
                if position < 2:  # the first procedures: read by some of the staff
                    counts["acknowledged"] += _acknowledge_part(version, 0.3 + (index % 7) / 10)
            if index % 5 == 0 and chosen:
                document = Document.objects.get(unit=unit, template=chosen[0])
                draft = versions.start_revision(
                    secretary,
                    document,
                    description="Cập nhật theo cơ cấu tổ chức sau sắp xếp đơn vị hành chính",
                    request=head.display_name,
                    section="2, 5",
                )
                content = dict(draft.content)
                content["scope"] = (content.get("scope") or "") + (
                    " Áp dụng cho toàn bộ các bộ phận của đơn vị sau sắp xếp ngày 01/7/2025."
                )
                versions.edit_draft(secretary, draft, content=content)
                versions.submit_for_review(secretary, draft)
                counts["in review"] += 1
        tasks = legal.change_legal_status(
            None,
            legal_docs[OLD_ONE_STOP],
            status=LegalStatus.REPLACED,
            replaced_by=legal_docs[NEW_ONE_STOP],
            changed_on=REPLACED_ON,
        )
        counts["legal update tasks"] = len(tasks)
    summary = DocumentsSummary(True, time.perf_counter() - started, counts)
    if stdout is not None:
        stdout.write(f"Documents loaded in {summary.seconds:.1f} s:")
        for key, value in counts.items():
            stdout.write(f"  {key:<24} {value:>6}")
    return summary

"""A year of the improvement loop for the demo agencies: objectives and their
measurements, risks, the yearly plan, internal audits (this year and the previous
one), nonconformities and corrective actions, the management review, survey
responses and complaints, and the conformity announcement.

    load_demo_improvement(stdout=None, full=False)   # `govqms load_demo` calls it

Every record is written through the apps' services, by the agency's own ISO
secretary (the head chairs the review; the auditors conduct the audits), so the
audit trail and the rules are the real ones: a nonconformity is closed only after
its actions are done and their effectiveness evaluated, an auditor never audits a
process they own, and so on. The survey responses go through the public service
behind the anti-stuffing protections (a form token, a fill time, a rate limit per
address), as a citizen's phone would.

The records are dated when they happened: each step runs on a simulated clock
(`django.utils.timezone.now` is set to the day of the step while the services run),
so an action done in August is dated in August, and the audit trail says so.

Three profiles, deterministic (seeded random), so the lifecycle panel and the DoST's
formalism signals show a believable spread:
    * exemplary (~30 %): objectives measured monthly (one linked to the dossier KPI),
      risks reviewed and their treatment evaluated, the plan done on time, a two-day
      internal audit with several findings incl. a minor nonconformity taken through
      correction, root cause, actions, effectiveness and closing; a management review
      whose decisions became actions; survey responses and a complaint handled; a
      current conformity announcement. The Sở Tư pháp (so.*) is exemplary.
    * ordinary (~45 %): fewer measurements, plan items late, the audit's nonconformity
      still open with an overdue action, a review with fewer decisions. Phường Kinh
      Bắc (xa.*) is ordinary.
    * formalistic (~25 %): audits without any finding this year and last year, this
      year's checklist copied from last year's, a 30-minute audit over a big scope, a
      review with no decision, actions closed the day they were opened, objectives
      never measured, an announcement made before the scope changed. The agency of
      xa2.secretary (Phường Vũ Ninh) is formalistic.

Agencies: every active agency in the DoST's remit with `full=True`; by default the
non-commune agencies and a sample of the communes (at least `MIN_DEFAULT` agencies,
the demo accounts' agencies always among them). Idempotent: a second call finds the
demo's marker objective and changes nothing."""

from __future__ import annotations

import datetime as dt
import random
import time
from contextlib import contextmanager
from unittest import mock

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from govqms.core.calendar import LOCAL
from govqms.organizations.models import Membership, Role, Unit, UnitKind

SEED = 2026
EXEMPLARY, ORDINARY, FORMALISTIC = "exemplary", "ordinary", "formalistic"
SHARES = ((EXEMPLARY, 0.30), (ORDINARY, 0.45), (FORMALISTIC, 0.25))
MIN_DEFAULT = 40
COMMUNE_EVERY = 10  # default: one commune in ten

# The marker: every demo agency has this objective; its presence means "loaded".
ON_TIME_TITLE = "Tỷ lệ hồ sơ giải quyết đúng hạn đạt ≥ 98 %"

DEMO_PROFILES = {  # the demo accounts' agencies
    "so.secretary": EXEMPLARY,
    "xa.secretary": ORDINARY,
    "xa2.secretary": FORMALISTIC,
}

CLAUSES_SMALL = ["4.4", "6.2", "7.5", "8.5", "9.1", "10.2"]
CLAUSES_BIG = ["4.1", "4.4", "5.2", "6.1", "6.2", "7.1", "7.2", "7.5", "8.5", "9.1", "10.2"]

MANUAL_OBJECTIVES = [
    # (title, indicator, unit, direction, target, tolerance, base value, spread)
    (
        "Tỷ lệ người dân, tổ chức hài lòng với việc giải quyết TTHC đạt ≥ 95 %",
        "Tỷ lệ phiếu khảo sát đánh giá hài lòng và rất hài lòng",
        "%",
        "higher",
        95,
        2,
        95.5,
        2.5,
    ),
    (
        "100 % công chức được đào tạo nhận thức về TCVN ISO 9001:2015",
        "Tỷ lệ công chức đã tham gia đào tạo nhận thức ISO",
        "%",
        "higher",
        100,
        5,
        96,
        4,
    ),
    (
        "Tỷ lệ hồ sơ trễ hạn phải có văn bản xin lỗi đạt 100 %",
        "Tỷ lệ hồ sơ trễ hạn có văn bản xin lỗi gửi người dân",
        "%",
        "higher",
        100,
        5,
        97,
        3,
    ),
    (
        "Không để phát sinh phản ánh, kiến nghị đúng về thái độ phục vụ",
        "Số phản ánh, kiến nghị được xác minh là đúng",
        "vụ",
        "lower",
        0,
        1,
        0.4,
        0.6,
    ),
]

RISKS = [
    # (kind, process text, description, cause, likelihood, impact, treatment)
    (
        "risk",
        "Tiếp nhận và trả kết quả hồ sơ",
        "Hồ sơ tiếp nhận thiếu thành phần, phải yêu cầu bổ sung nhiều lần",
        "Hướng dẫn thành phần hồ sơ trên Cổng dịch vụ công chưa cập nhật",
        3,
        3,
        "Rà soát, cập nhật hướng dẫn và mẫu đơn; niêm yết bản hướng dẫn tại Bộ phận Một cửa",
    ),
    (
        "risk",
        "Giải quyết hồ sơ",
        "Hồ sơ bị trễ hạn do chuyển xử lý giữa các bộ phận chậm",
        "Cán bộ xử lý kiêm nhiệm, nghỉ phép không bàn giao",
        3,
        4,
        "Phân công người dự phòng; theo dõi hạn xử lý hằng tuần trên hệ thống một cửa",
    ),
    (
        "risk",
        "Kiểm soát thông tin dạng văn bản",
        "Áp dụng biểu mẫu cũ sau khi văn bản pháp luật thay đổi",
        "Chưa có đầu mối theo dõi văn bản quy phạm pháp luật mới",
        2,
        4,
        "Giao thư ký ISO theo dõi công báo hằng tháng, cập nhật danh mục tài liệu",
    ),
    (
        "opportunity",
        "Tiếp nhận và trả kết quả hồ sơ",
        "Tăng tỷ lệ hồ sơ nộp trực tuyến toàn trình",
        "Người dân đã quen sử dụng ứng dụng VNeID",
        3,
        3,
        "Bố trí công chức hướng dẫn nộp trực tuyến tại Bộ phận Một cửa",
    ),
]

# How a nonconformity is handled, by its kind: correction, five whys, root cause, two
# actions (text, evidence) and the effectiveness check.
STORIES = {
    "control_form": {
        "correction": "Lập bổ sung phiếu kiểm soát cho các hồ sơ thiếu; rà soát toàn bộ hồ sơ "
        "cùng kỳ",
        "whys": [
            (
                "Vì sao hồ sơ lưu không có phiếu kiểm soát quá trình?",
                "Vì công chức tiếp nhận không in phiếu khi hệ thống một cửa gặp sự cố.",
            ),
            (
                "Vì sao không in bù phiếu sau khi hệ thống hoạt động lại?",
                "Vì quy trình không quy định việc lập phiếu bù.",
            ),
            (
                "Vì sao quy trình không quy định?",
                "Vì khi xây dựng quy trình chưa tính đến tình huống hệ thống gián đoạn.",
            ),
        ],
        "root_cause": "Quy trình chưa quy định cách lập phiếu kiểm soát khi hệ thống một cửa "
        "điện tử gián đoạn",
        "actions": [
            ("Sửa đổi quy trình, bổ sung bước lập phiếu kiểm soát bù", "Quy trình ban hành lần 2"),
            (
                "Phổ biến quy trình sửa đổi cho công chức Bộ phận Một cửa",
                "Biên bản phổ biến quy trình, có chữ ký công chức",
            ),
        ],
        "effectiveness": "Kiểm tra 30 hồ sơ sau khi sửa quy trình: 100 % có phiếu kiểm soát",
    },
    "objective_plan": {
        "correction": "Bổ sung người thực hiện và thời hạn cho từng mục tiêu chất lượng năm",
        "whys": [
            (
                "Vì sao mục tiêu chưa có kế hoạch thực hiện?",
                "Vì quyết định ban hành mục tiêu được sao chép từ năm trước.",
            ),
            (
                "Vì sao sao chép từ năm trước?",
                "Vì thư ký ISO mới được phân công, chưa được hướng dẫn yêu cầu 6.2.2.",
            ),
        ],
        "root_cause": "Chưa hướng dẫn thư ký ISO mới về yêu cầu lập kế hoạch thực hiện mục tiêu",
        "actions": [
            (
                "Ban hành lại kế hoạch thực hiện mục tiêu chất lượng năm",
                "Kế hoạch thực hiện mục tiêu chất lượng đã ký",
            ),
            (
                "Tập huấn cho thư ký ISO về TCVN ISO 9001:2015 điều 6.2",
                "Giấy chứng nhận tham gia tập huấn",
            ),
        ],
        "effectiveness": "Kiểm tra: 100 % mục tiêu có người thực hiện, thời hạn, nguồn lực",
    },
    "complaint": {
        "correction": "Xin lỗi công dân; giải quyết ngay yêu cầu của công dân",
        "whys": [
            (
                "Vì sao công dân phải phản ánh?",
                "Vì hồ sơ không được giải quyết đúng như hướng dẫn niêm yết.",
            ),
            (
                "Vì sao không giải quyết đúng hướng dẫn?",
                "Vì công chức mới chưa nắm hết thành phần hồ sơ và thời hạn của TTHC.",
            ),
            (
                "Vì sao công chức mới chưa nắm được?",
                "Vì chưa có bước kèm cặp công chức mới tại Bộ phận Một cửa.",
            ),
        ],
        "root_cause": "Chưa có cơ chế kèm cặp, kiểm tra công chức mới tại Bộ phận Một cửa",
        "actions": [
            (
                "Phân công công chức có kinh nghiệm kèm cặp công chức mới trong 3 tháng",
                "Quyết định phân công kèm cặp",
            ),
            (
                "Tổ chức rút kinh nghiệm và kiểm tra hiểu biết TTHC của công chức Một cửa",
                "Biên bản họp rút kinh nghiệm, kết quả kiểm tra",
            ),
        ],
        "effectiveness": "Ba tháng sau không phát sinh phản ánh tương tự",
    },
}

FINDINGS = {
    "minor": (
        "7.5.3",
        "Một số hồ sơ đã giải quyết không có phiếu kiểm soát quá trình giải quyết hồ sơ "
        "theo mẫu quy định",
        "Kiểm tra ngẫu nhiên 20 hồ sơ tháng trước: 3 hồ sơ không có phiếu kiểm soát.",
    ),
    "observation": (
        "9.1.3",
        "Báo cáo tình hình giải quyết TTHC hằng tháng chưa phân tích nguyên nhân hồ sơ trễ hạn",
        "Báo cáo tháng 5 và tháng 6 chỉ nêu số liệu.",
    ),
    "ofi": (
        "7.4",
        "Có thể công khai kết quả khảo sát sự hài lòng tại Bộ phận Một cửa hằng quý",
        "",
    ),
    "good_practice": (
        "8.5.1",
        "Bộ phận Một cửa nhắn tin thông báo cho người dân khi có kết quả giải quyết hồ sơ",
        "Tin nhắn được gửi tự động từ hệ thống một cửa.",
    ),
    "minor_ordinary": (
        "6.2",
        "Mục tiêu chất lượng năm chưa có kế hoạch thực hiện cụ thể (người thực hiện, thời hạn)",
        "Quyết định ban hành mục tiêu chất lượng chỉ nêu chỉ tiêu.",
    ),
}

OWN_QUESTIONS = [
    "Công chức có nắm được chính sách chất lượng và mục tiêu chất lượng năm không?",
    "Hồ sơ trễ hạn có văn bản xin lỗi gửi người dân đúng quy định không?",
    "Các biểu mẫu đang dùng tại Bộ phận Một cửa có đúng phiên bản hiện hành không?",
    "Kết quả khảo sát sự hài lòng có được tổng hợp, báo cáo lãnh đạo không?",
]

DECISIONS = [
    (
        "improvement",
        "Bổ sung vào quy trình việc lập phiếu kiểm soát bù khi hệ thống một cửa gián đoạn",
    ),
    (
        "resource_need",
        "Bố trí thêm một máy tính và máy quét tại Bộ phận Một cửa trong quý IV",
    ),
    (
        "qms_change",
        "Cập nhật danh mục quy trình theo các TTHC mới được giao sau sắp xếp đơn vị hành chính",
    ),
]

COMMENTS = [
    "Thủ tục giải quyết nhanh, công chức hướng dẫn nhiệt tình.",
    "Cán bộ một cửa thân thiện, hướng dẫn rõ ràng.",
    "Nhận kết quả sớm hơn hẹn, rất hài lòng.",
    "Phòng chờ đông, nên bố trí thêm ghế ngồi.",
    "Hướng dẫn trên Cổng dịch vụ công chưa rõ, phải đi lại hai lần.",
    "Nộp trực tuyến thuận tiện.",
    "Nên có chỗ để xe cho người dân.",
    "",
    "",
    "",
]

COMPLAINTS = [
    (
        "Chậm trả kết quả chứng thực bản sao",
        "Tôi nộp hồ sơ chứng thực bản sao buổi sáng, hẹn trả trong ngày nhưng đến hôm sau "
        "mới nhận được kết quả.",
        "Bộ phận Một cửa đã kiểm tra: hồ sơ trả chậm do người ký vắng mặt. Đơn vị đã xin "
        "lỗi công dân và bố trí người ký thay khi lãnh đạo đi công tác.",
    ),
    (
        "Yêu cầu bổ sung giấy tờ không có trong quy định",
        "Khi làm thủ tục đăng ký khai sinh, cán bộ yêu cầu nộp thêm bản sao sổ hộ khẩu dù "
        "quy định không yêu cầu.",
        "Đơn vị đã nhắc nhở công chức, rà soát lại danh mục thành phần hồ sơ niêm yết và "
        "trả lời công dân bằng văn bản.",
    ),
    (
        "Thái độ chưa đúng mực của công chức tiếp nhận",
        "Công chức tiếp nhận trả lời cộc lốc, không hướng dẫn cụ thể cách kê khai tờ khai.",
        "Đơn vị đã làm việc với công chức, tổ chức rút kinh nghiệm toàn bộ phận và xin lỗi "
        "người phản ánh.",
    ),
]
CITIZENS = [
    "Nguyễn Văn Thành",
    "Trần Thị Hương",
    "Lê Văn Dũng",
    "Phạm Thị Mai",
    "Hoàng Minh Quân",
    "Vũ Thị Ngọc",
]


# ---------------------------------------------------------------- the simulated clock


class _Clock:
    """While active, `django.utils.timezone.now` returns the demo's current moment."""

    def __init__(self, today: dt.date):
        self.today = today
        self.now = timezone.now()

    def set(self, day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
        day = min(day, self.today)
        moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LOCAL)
        self.now = moment.astimezone(dt.UTC)
        return moment

    @contextmanager
    def running(self):
        with mock.patch("django.utils.timezone.now", lambda: self.now):
            yield


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


# ---------------------------------------------------------------- agencies


def is_loaded(units=None) -> bool:
    """Whether the demo's records are there (for `units`, or for any agency)."""
    from govqms.planning.models import Objective

    qs = Objective.objects.filter(title=ON_TIME_TITLE)
    if units is not None:
        qs = qs.filter(unit__in=list(units))
    return qs.exists()


def _demo_units() -> dict[int, str]:
    """{unit id: profile} of the demo accounts' agencies today."""
    out = {}
    for m in (
        Membership.objects.active_on()
        .filter(user__username__in=list(DEMO_PROFILES), role=Role.ISO_SECRETARY)
        .select_related("user")
    ):
        out[m.unit_id] = DEMO_PROFILES[m.user.username]
    return out


def choose_units(full: bool = False) -> list[Unit]:
    units = list(Unit.objects.active_on().filter(in_dost_remit=True).order_by("path"))
    if full:
        return units
    demo = _demo_units()
    others = [u for u in units if u.kind != UnitKind.COMMUNE_PC]
    communes = [u for u in units if u.kind == UnitKind.COMMUNE_PC]
    chosen = {u.pk for u in others} | set(demo)
    for index, unit in enumerate(communes):
        if index % COMMUNE_EVERY == 0:
            chosen.add(unit.pk)
    for unit in communes:
        if len(chosen) >= MIN_DEFAULT:
            break
        chosen.add(unit.pk)
    return [u for u in units if u.pk in chosen]


def assign_profiles(units, today: dt.date | None = None) -> dict[int, str]:
    """Deterministic shares of the three profiles; the demo agencies fixed. Exemplary
    agencies are drawn from those that carry administrative procedures and folded
    their legal updates in on time."""
    from govqms.documents.models import UpdateTask, UpdateTaskStatus

    today = today or timezone.localdate()
    demo = _demo_units()
    late = set(
        UpdateTask.objects.filter(
            document__unit__in=units, status=UpdateTaskStatus.OPEN, due__lt=today
        ).values_list("document__unit_id", flat=True)
    )
    rest = [u for u in units if u.pk not in demo]
    rest.sort(key=lambda u: random.Random(f"{SEED}:profile:{u.code}").random())
    out = {u.pk: demo[u.pk] for u in units if u.pk in demo}
    wanted = {p: round(share * len(units)) for p, share in SHARES}
    for p in out.values():
        wanted[p] -= 1
    from govqms.procedures.models import Assignment

    assigned = set(
        Assignment.objects.filter(unit__in=units, ended_on=None).values_list("unit_id", flat=True)
    )
    for unit in [u for u in rest if u.pk not in late and u.pk in assigned]:
        if wanted[EXEMPLARY] <= 0:
            break
        out[unit.pk] = EXEMPLARY
        wanted[EXEMPLARY] -= 1
    queue = [FORMALISTIC] * max(wanted[FORMALISTIC], 0)
    for index, unit in enumerate(u for u in rest if u.pk not in out):
        out[unit.pk] = queue[index] if index < len(queue) else ORDINARY
    return out


class _People:
    def __init__(self, unit: Unit):
        members = list(
            Membership.objects.active_on()
            .filter(unit=unit)
            .select_related("user")
            .order_by("valid_from", "pk")
        )
        # The demo accounts act for their agencies (the one you sign in with).
        members.sort(key=lambda m: not m.user.username.startswith(("so.", "xa.", "xa2.")))
        self.by_role: dict[str, list] = {}
        for m in members:
            self.by_role.setdefault(m.role, []).append(m.user)
        users = []
        for m in members:
            if m.user not in users:
                users.append(m.user)
        self.all = users
        self.secretary = (self.by_role.get(Role.ISO_SECRETARY) or [None])[0]
        self.head = (self.by_role.get(Role.HEAD) or [None])[0]
        managers = {u.pk for u in (self.secretary, self.head) if u}
        self.others = [u for u in users if u.pk not in managers]

    @property
    def actor(self):
        return self.secretary or self.head

    def owner(self, index: int):
        pool = self.others or [u for u in (self.secretary, self.head) if u]
        return pool[index % len(pool)]


# ---------------------------------------------------------------- one agency


class _Agency:
    def __init__(self, unit, profile, clock, today, counts, *, typical=False):
        self.unit, self.profile, self.clock, self.today = unit, profile, clock, today
        self.year = today.year
        self.rng = random.Random(f"{SEED}:{unit.code}")
        # Formalistic agencies other than the typical ones (the demo accounts') each
        # skip a sign or two, so the DoST's console is not uniform.
        self.spared = set()
        if profile == FORMALISTIC and not typical:
            self.spared = {
                key
                for key in ("review_without_decisions", "checklist_copied")
                if self.rng.random() < 0.3
            }
        self.people = _People(unit)
        self.actor = self.people.actor
        self.counts = counts

    def at(self, day, hour=9, minute=0):
        return self.clock.set(day, hour, minute)

    def d(self, month, day, year=None):
        return dt.date(year or self.year, month, day)

    def past(self, day) -> bool:
        return day <= self.today

    # -- documents: the quality policy, and (exemplary) the missing procedures

    def _into_force(self, document, day):
        from govqms.documents.services import versions

        secretary, head = self.people.secretary, self.people.head or self.people.secretary
        version = document.versions.get()
        versions.submit_for_review(secretary, version)
        versions.decide(secretary, version, approve=True)
        versions.decide(head, version, approve=True)
        versions.make_effective(secretary, version, effective_from=day)
        return version

    def policy(self):
        from govqms.documents.models import Document, DocumentKind
        from govqms.documents.services import versions
        from govqms.planning import services as planning

        if self.people.secretary is None:
            return
        day = self.d(1, 5)
        self.at(day - dt.timedelta(days=3), 9)
        document = Document.objects.filter(unit=self.unit, kind=DocumentKind.QUALITY_POLICY).first()
        if document is None:
            document = versions.create_document(
                self.people.secretary,
                unit=self.unit,
                code="CSCL",
                title="Chính sách chất lượng",
                kind=DocumentKind.QUALITY_POLICY,
                owner=self.people.head,
                content={
                    "body": f"{self.unit.name} cam kết: giải quyết thủ tục hành chính công "
                    "khai, minh bạch, đúng pháp luật, đúng hẹn; lấy sự hài lòng của người dân, "
                    "tổ chức làm thước đo chất lượng phục vụ; duy trì và cải tiến thường xuyên "
                    "hệ thống quản lý chất lượng theo TCVN ISO 9001:2015."
                },
            )
            self.at(day, 9)
            self._into_force(document, day)
        planning.set_policy(self.actor, self.unit, self.year, document)

    def cover(self):
        """An exemplary agency has written an operational procedure for each TTHC."""
        from govqms.documents.models import Document, DocumentKind
        from govqms.documents.services import versions
        from govqms.procedures import services as procedures
        from govqms.procedures.models import Assignment
        from govqms.procedures.selectors import coverage

        if self.people.secretary is None or self.people.head is None:
            return
        c = coverage(self.unit)
        if c.assigned == c.covered:
            return
        day = self.d(2, 2)
        for assignment in (
            Assignment.objects.filter(unit=self.unit, ended_on=None)
            .select_related("procedure", "document")
            .order_by("procedure__code")
        ):
            doc = assignment.document
            if doc is not None and doc.versions.filter(status="effective").exists():
                continue
            p = assignment.procedure
            self.at(day - dt.timedelta(days=20), 9)
            code = f"QT-{p.code}"
            doc = Document.objects.filter(unit=self.unit, code=code).first()
            if doc is None:
                doc = versions.create_document(
                    self.people.secretary,
                    unit=self.unit,
                    code=code,
                    title=f"Quy trình {p.name}"[:300],
                    kind=DocumentKind.OPERATIONAL_PROCEDURE,
                    owner=self.people.secretary,
                    content={
                        "purpose": f"Quy định trình tự, trách nhiệm giải quyết thủ tục {p.name}.",
                        "scope": "Công chức Bộ phận Một cửa và các bộ phận chuyên môn.",
                        "steps": [
                            {
                                "step": str(n),
                                "name": name,
                                "responsible": who,
                                "hours": h,
                                "form": "",
                            }
                            for n, (name, who, h) in enumerate(
                                [
                                    ("Tiếp nhận, kiểm tra hồ sơ", "Bộ phận Một cửa", "4"),
                                    ("Thẩm định, xử lý hồ sơ", "Chuyên viên xử lý", "16"),
                                    ("Phê duyệt, ký kết quả", "Lãnh đạo", "4"),
                                    ("Trả kết quả", "Bộ phận Một cửa", "2"),
                                ],
                                start=1,
                            )
                        ],
                    },
                )
                self.at(day, 9)
                self._into_force(doc, day)
                self.counts["procedures written"] += 1
            procedures.set_scope(self.actor, assignment, in_scope=True, document=doc)

    # -- objectives

    def objectives(self):
        from govqms.planning import services as planning
        from govqms.procedures.models import Assignment

        rng, year, profile = self.rng, self.year, self.profile
        self.at(self.d(1, 12), 9)
        schedule = {EXEMPLARY: "monthly", ORDINARY: "quarterly", FORMALISTIC: "quarterly"}[profile]
        linked = profile == EXEMPLARY
        procedures = [
            a.procedure
            for a in Assignment.objects.filter(unit=self.unit, ended_on=None).select_related(
                "procedure"
            )[:6]
        ]
        made = []
        on_time = planning.save_objective(
            self.actor,
            self.unit,
            {
                "year": year,
                "title": ON_TIME_TITLE,
                "indicator": "Tỷ lệ hồ sơ TTHC giải quyết trước hạn và đúng hạn",
                "measure_unit": "%",
                "direction": "higher",
                "target": 98,
                "tolerance": 1,
                "plan_what": "Theo dõi hạn xử lý hằng tuần; nhắc việc hồ sơ sắp đến hạn; "
                "xin lỗi người dân với hồ sơ trễ hạn",
                "plan_who": self.people.owner(0),
                "plan_when": self.d(12, 31),
                "plan_resources": "Hệ thống một cửa điện tử; công chức Bộ phận Một cửa",
                "schedule": schedule,
                "source": "linked" if linked else "manual",
                "kpi": "on_time_rate" if linked else "",
            },
            procedures=procedures if linked else None,
        )
        made.append(on_time)
        n_manual = {EXEMPLARY: 4, ORDINARY: 2, FORMALISTIC: 2}[profile]
        for number, row in enumerate(MANUAL_OBJECTIVES[:n_manual]):
            title, indicator, measure_unit, direction, target, tol, _base, _spread = row
            # Satisfaction monthly like the dossiers; training and the rest by quarter.
            every = schedule if number == 0 else "quarterly"
            made.append(
                planning.save_objective(
                    self.actor,
                    self.unit,
                    {
                        "year": year,
                        "title": title,
                        "indicator": indicator,
                        "measure_unit": measure_unit,
                        "direction": direction,
                        "target": target,
                        "tolerance": tol,
                        "plan_what": "" if profile == FORMALISTIC else "Theo kế hoạch năm",
                        "plan_who": None if profile == FORMALISTIC else self.people.owner(1),
                        "schedule": every,
                    },
                )
            )
        self.counts["objectives"] += len(made)
        if profile == FORMALISTIC:
            return made  # never measured
        # Measurements: each period that has ended, a few days after its end.
        from govqms.planning.selectors import periods_of_year

        # Some ordinary agencies forget one objective altogether.
        forgotten = profile == ORDINARY and rng.random() < 0.3
        for index, objective in enumerate(made):
            if forgotten and index == len(made) - 1:
                break
            row = None if index == 0 else MANUAL_OBJECTIVES[index - 1]
            for number, (start, end) in enumerate(periods_of_year(objective.schedule, year)):
                taken = end + dt.timedelta(days=3 + rng.randint(0, 4))
                if taken > self.today:
                    break
                if profile == ORDINARY and number == 1 and index > 0:
                    continue  # a quarter forgotten
                self.at(taken, 10)
                m = None
                if objective.source == "linked":
                    m = planning.measure_linked(self.actor, objective, end)
                if m is None:
                    if row is None:
                        value = 97.2 + rng.random() * 2.6 - (0 if profile == EXEMPLARY else 1.5)
                    else:
                        base, spread = row[6], row[7]
                        value = max(0, base + (rng.random() - 0.5) * 2 * spread)
                        if row[3] == "lower":
                            value = round(value)
                        value = min(value, 100) if row[2] == "%" else value
                    planning.record_measurement(
                        self.actor,
                        objective,
                        value=round(value, 1),
                        measured_on=taken,
                        period_start=start,
                        period_end=end,
                        comment="Số liệu từ báo cáo tháng của Bộ phận Một cửa"
                        if objective.schedule == "monthly"
                        else "Tổng hợp từ báo cáo quý",
                    )
                self.counts["measurements"] += 1
        return made

    # -- risks

    def risks(self):
        from govqms.planning import services as planning

        n = {EXEMPLARY: 4, ORDINARY: 2, FORMALISTIC: 1}[self.profile]
        self.at(self.d(2, 20), 14)
        for index, (kind, process, desc, cause, lik, imp, treatment) in enumerate(RISKS[:n]):
            data = {
                "kind": kind,
                "process_text": process,
                "description": desc,
                "cause": cause if self.profile != FORMALISTIC else "",
                "likelihood": lik,
                "impact": imp,
                "treatment": treatment if self.profile != FORMALISTIC else "",
                "owner": self.people.owner(index) if self.profile != FORMALISTIC else None,
                "review_date": self.d(6, 30) if self.profile != FORMALISTIC else None,
            }
            risk = planning.save_risk(self.actor, self.unit, data)
            self.counts["risks"] += 1
            if self.profile == EXEMPLARY and self.past(self.d(7, 3)):
                self.at(self.d(7, 3), 15)
                planning.save_risk(
                    self.actor,
                    self.unit,
                    {
                        "likelihood": max(1, lik - 1),
                        "impact": imp,
                        "effectiveness": "effective" if index != 1 else "partly",
                        "evaluated_on": self.d(7, 3),
                        "review_date": self.d(12, 20),
                    },
                    risk=risk,
                )

    # -- yearly plan

    def plan(self, audit_day, review_day):
        from govqms.planning import services as planning
        from govqms.planning.models import PlanKind

        self.at(self.d(1, 8), 8, 30)
        items = planning.generate_standard_plan(self.actor, self.unit, self.year)
        self.counts["plan items"] += len(items)
        for item in items:
            if item.kind == PlanKind.INTERNAL_AUDIT and audit_day:
                item = planning.save_plan_item(
                    self.actor,
                    self.unit,
                    {"start": audit_day - dt.timedelta(days=7), "end": audit_day + dt.timedelta(7)},
                    item=item,
                )
            if item.kind == PlanKind.MANAGEMENT_REVIEW and review_day:
                item = planning.save_plan_item(
                    self.actor,
                    self.unit,
                    {"start": review_day - dt.timedelta(7), "end": review_day + dt.timedelta(7)},
                    item=item,
                )
            if self.profile == EXEMPLARY:
                done = item.end - dt.timedelta(days=self.rng.randint(2, 8))
            elif self.profile == ORDINARY:
                done = item.end + dt.timedelta(days=self.rng.choice([-3, 5, 12, 20]))
                if item.kind == PlanKind.SELF_ASSESSMENT:
                    continue  # overdue, not done yet
            else:
                done = dt.date(self.year, 11, 20)  # everything ticked at once
            if item.kind in (PlanKind.INTERNAL_AUDIT, PlanKind.MANAGEMENT_REVIEW) and (
                self.profile != FORMALISTIC
            ):
                done = (audit_day if item.kind == PlanKind.INTERNAL_AUDIT else review_day) or done
            if done > self.today or done < item.start:
                continue
            self.at(done, 16)
            planning.complete_plan_item(
                self.actor,
                item,
                done_on=done,
                evidence="Đã thực hiện"
                if self.profile == FORMALISTIC
                else f"Báo cáo kết quả {item.title.lower()} ngày {done:%d/%m/%Y}",
            )

    # -- internal audit

    def auditors(self):
        from govqms.audits import services as audits
        from govqms.audits.models import Auditor

        people = self.people
        candidates = [u for u in people.others] or [u for u in (people.head,) if u]
        if people.by_role.get(Role.INTERNAL_AUDITOR):
            first = people.by_role[Role.INTERNAL_AUDITOR][0]
            candidates = [first] + [u for u in candidates if u.pk != first.pk]
        chosen = candidates[:2] or [people.secretary]
        records = []
        self.at(self.d(9, 15, self.year - 1), 9)
        for index, user in enumerate(chosen):
            existing = Auditor.objects.filter(unit=self.unit, user=user).first()
            records.append(
                existing
                or audits.register_auditor(
                    self.actor,
                    self.unit,
                    user=user,
                    certificate_name="Chứng chỉ chuyên gia đánh giá nội bộ HTQLCL "
                    "TCVN ISO 9001:2015",
                    certificate_issuer="Viện Năng suất Việt Nam",
                    certificate_number=f"ĐGNB-{2023 - index}-{self.rng.randint(1000, 9999)}",
                    certificate_date=dt.date(2023 - index, 6, 15),
                    certificate_expiry=dt.date(2028 - index, 6, 14),
                    in_pool=index == 0 and self.profile == EXEMPLARY,
                )
            )
        return [r.user for r in records]

    def _scope(self, team, n):
        from govqms.documents.models import PROCEDURE_KINDS, Document

        ids = {u.pk for u in team}
        docs = (
            Document.objects.filter(unit=self.unit, kind__in=PROCEDURE_KINDS)
            .exclude(owner_id__in=ids)
            .order_by("code")
        )
        return list(docs[:n])

    def audit(self, year, start_day, *, hours, clauses, n_processes, findings, copy_from=None):
        from govqms.audits import services as audits
        from govqms.audits.models import Result

        team = self.auditors()
        lead, rest = team[0], team[1:]
        processes = self._scope(team, n_processes)
        self.at(start_day - dt.timedelta(days=21), 9)
        if year == self.year or not copy_from:
            audits.save_programme(
                self.actor,
                self.unit,
                year,
                objectives="Đánh giá sự phù hợp và hiệu lực của HTQLCL theo TCVN ISO 9001:2015",
                criteria="TCVN ISO 9001:2015; các quy trình ISO của đơn vị; quy định về TTHC",
                frequency="Một lần trong năm",
                clauses=clauses,
                processes=processes,
            )
        begin = dt.datetime.combine(start_day, dt.time(8, 0), tzinfo=LOCAL)
        end = begin + dt.timedelta(hours=hours)
        planned_end = max(end, begin + dt.timedelta(hours=8))
        plan = audits.create_plan(
            self.actor,
            self.unit,
            title=f"Đánh giá nội bộ HTQLCL năm {year}",
            planned_start=begin,
            planned_end=planned_end,
            lead=lead,
            team=rest,
            processes=processes,
            clauses=clauses,
            objectives="Xác định mức độ phù hợp của HTQLCL; phát hiện cơ hội cải tiến",
            criteria="TCVN ISO 9001:2015 và hệ thống tài liệu của đơn vị",
        )
        self.at(start_day - dt.timedelta(days=5), 15)
        if copy_from is not None:
            for question, clause, process in copy_from:
                audits.add_item(self.actor, plan, question=question, clause=clause, process=process)
            if "checklist_copied" in self.spared:  # one question of its own this year
                audits.add_item(self.actor, plan, question=OWN_QUESTIONS[0], clause="7.3")
        else:
            audits.generate_checklist(self.actor, plan)
            if self.profile != FORMALISTIC:
                for question in self.rng.sample(OWN_QUESTIONS, 2):
                    audits.add_item(self.actor, plan, question=f"{question} ({year})", clause="7.3")
        self.at(start_day, 8)
        audits.start_audit(lead, plan, at=begin)
        items = list(plan.items.order_by("order"))
        # A 30-minute formality leaves its checklist unanswered.
        answered = [] if self.profile == FORMALISTIC else items
        for index, item in enumerate(answered):
            moment = begin + dt.timedelta(hours=hours * index / max(len(items), 1))
            self.clock.now = moment.astimezone(dt.UTC)
            result = Result.CONFORMING if index % 9 != 8 else Result.NOT_APPLICABLE
            audits.record_result(
                lead,
                item,
                result=result,
                notes="" if self.profile == FORMALISTIC else "Đã kiểm tra hồ sơ, sổ theo dõi",
            )
        created = []
        for n, key in enumerate(findings):
            grade = "minor" if key.startswith("minor") else key
            clause, text, evidence = FINDINGS[key]
            item = items[min(n * 3 + 1, len(items) - 1)] if items else None
            process = processes[0] if processes and grade == "minor" else None
            moment = begin + dt.timedelta(hours=hours * 0.8)
            self.clock.now = moment.astimezone(dt.UTC)
            created.append(
                audits.record_finding(
                    lead,
                    plan,
                    grade=grade,
                    clause=clause,
                    description=text,
                    process=process,
                    evidence=evidence,
                    item=item if grade == "minor" else None,
                )
            )
        self.clock.now = end.astimezone(dt.UTC)
        summary = (
            "Hệ thống quản lý chất lượng được duy trì phù hợp."
            if not findings
            else f"Ghi nhận {len(findings)} phát hiện; các điểm không phù hợp đã được lập "
            "phiếu xử lý."
        )
        audits.complete_audit(
            lead, plan, at=end, summary=summary, conclusion="HTQLCL phù hợp và có hiệu lực."
        )
        self.at(start_day + dt.timedelta(days=3), 10)
        audits.issue_report(self.actor, plan)
        self.counts["audits"] += 1
        self.counts["findings"] += len(created)
        return plan, created

    # -- nonconformities

    def handle_nc(
        self, nc, detected: dt.date, story: str, *, finish: bool, late_action: bool = False
    ):
        from govqms.improvement import services as improvement

        actor = self.actor
        story = STORIES[story]
        (text1, evidence1), (text2, evidence2) = story["actions"]
        self.at(detected + dt.timedelta(days=1), 9)
        nc = improvement.update_nonconformity(
            actor, nc, due_date=detected + dt.timedelta(days=75 if finish else 60)
        )
        nc = improvement.record_correction(
            actor,
            nc,
            text=story["correction"],
            done_on=detected + dt.timedelta(days=1),
        )
        self.at(detected + dt.timedelta(days=4), 14)
        nc = improvement.record_analysis(
            actor,
            nc,
            whys=[{"why": w, "because": b} for w, b in story["whys"]],
            root_cause=story["root_cause"],
        )
        a1 = improvement.add_action(
            actor,
            nc,
            text=text1,
            owner=self.people.secretary or actor,
            due_date=detected + dt.timedelta(days=30),
        )
        a2 = improvement.add_action(
            actor,
            nc,
            text=text2,
            owner=self.people.owner(0),
            due_date=(self.today - dt.timedelta(days=12))
            if late_action
            else detected + dt.timedelta(days=45),
        )
        self.counts["corrective actions"] += 2
        done1 = detected + dt.timedelta(days=26)
        if self.past(done1):
            self.at(done1, 15)
            improvement.complete_action(actor, a1, evidence=evidence1, done_on=done1)
        if not finish:
            return nc
        done2 = detected + dt.timedelta(days=40)
        self.at(done2, 16)
        improvement.complete_action(actor, a2, evidence=evidence2, done_on=done2)
        evaluated = detected + dt.timedelta(days=70)
        self.at(evaluated, 10)
        nc = improvement.evaluate(
            actor,
            nc,
            effective=True,
            comment=story["effectiveness"],
        )
        nc = improvement.close(actor, nc)
        self.counts["nonconformities closed"] += 1
        return nc

    def formal_nc(self, nc, day):
        """Correction, cause, one action done and closed, all on the day it was opened."""
        from govqms.improvement import services as improvement

        actor = self.actor
        self.at(day, 15)
        improvement.record_correction(actor, nc, text="Đã rút kinh nghiệm", done_on=day)
        improvement.record_analysis(
            actor, nc, whys=[], root_cause="Công chức chưa thực hiện đúng quy trình"
        )
        action = improvement.add_action(
            actor, nc, text="Nhắc nhở công chức", owner=actor, due_date=day
        )
        self.at(day, 16)
        improvement.complete_action(actor, action, evidence="Đã nhắc nhở", done_on=day)
        improvement.evaluate(actor, nc, effective=True, comment="Đạt")
        improvement.close(actor, nc)
        self.counts["corrective actions"] += 1
        self.counts["nonconformities closed"] += 1

    # -- management review

    def review(self, day):
        from govqms.reviews import services as reviews

        people = self.people
        chair = people.head or people.secretary
        self.at(day - dt.timedelta(days=14), 9)
        review = reviews.plan_review(
            self.actor,
            self.unit,
            title=f"Họp xem xét của lãnh đạo về HTQLCL năm {self.year}",
            planned_date=day,
            chair=chair,
            secretary=people.secretary,
            attendees=people.all[:6],
            place="Phòng họp cơ quan",
            number=f"{self.rng.randint(10, 180)}/BB-XXLĐ",
            external_providers="Không sử dụng dịch vụ bên ngoài ảnh hưởng đến chất lượng "
            "giải quyết TTHC, trừ dịch vụ bưu chính công ích.",
            resources="Nhân lực Bộ phận Một cửa đủ; cần thay thế máy quét đã cũ."
            if self.profile != FORMALISTIC
            else "",
        )
        self.at(day, 14)
        review = reviews.hold_review(self.actor, review, held_at=self.clock.set(day, 14))
        self.counts["reviews"] += 1
        if self.profile == FORMALISTIC:
            if "review_without_decisions" in self.spared:
                reviews.add_decision(
                    self.actor,
                    review,
                    kind="improvement",
                    text="Tiếp tục duy trì, cải tiến hệ thống quản lý chất lượng",
                    owner=people.secretary,
                )
                self.counts["review decisions"] += 1
            self.at(day + dt.timedelta(days=2), 9)
            reviews.issue_minutes(self.actor, review)
            return review
        reviews.set_comment(
            self.actor,
            review,
            "objectives",
            "Các mục tiêu cơ bản đạt; tiếp tục theo dõi tỷ lệ hồ sơ đúng hạn hằng tháng.",
        )
        n = 3 if self.profile == EXEMPLARY else 1
        decisions = []
        for index, (kind, text) in enumerate(DECISIONS[:n]):
            decisions.append(
                reviews.add_decision(
                    self.actor,
                    review,
                    kind=kind,
                    text=text,
                    owner=people.owner(index) if index else (people.secretary or chair),
                    due_date=day + dt.timedelta(days=30 + 15 * index),
                )
            )
        self.counts["review decisions"] += len(decisions)
        self.at(day + dt.timedelta(days=3), 9)
        reviews.issue_minutes(self.actor, review)
        for index, decision in enumerate(decisions):
            if self.profile == ORDINARY and index == 0:
                continue
            done = day + dt.timedelta(days=20 + 10 * index)
            if not self.past(done):
                continue
            self.at(done, 15)
            reviews.update_action(
                self.actor,
                decision,
                status="done",
                done_on=done,
                evidence="Văn bản triển khai của lãnh đạo đơn vị",
            )
        return review

    # -- satisfaction and complaints

    def survey(self):
        from govqms.feedback import protection
        from govqms.feedback import services as feedback
        from govqms.procedures.models import Assignment

        n = {EXEMPLARY: (10, 16), ORDINARY: (4, 8), FORMALISTIC: (0, 3)}[self.profile]
        count = self.rng.randint(*n)
        if not count:
            return
        self.at(self.d(1, 2), 8)
        questions = feedback.ensure_questions(self.unit, self.year)
        procedures = [
            a.procedure
            for a in Assignment.objects.filter(unit=self.unit, ended_on=None).select_related(
                "procedure"
            )[:8]
        ]
        span = (self.today - self.d(1, 5)).days
        days = sorted(
            self.d(1, 5) + dt.timedelta(days=self.rng.randint(0, span)) for _ in range(count)
        )
        mean = {EXEMPLARY: 4.5, ORDINARY: 4.0, FORMALISTIC: 3.6}[self.profile]
        for index, day in enumerate(days):
            while day.weekday() >= 5:
                day -= dt.timedelta(days=1)
            moment = self.at(day, 8 + self.rng.randint(0, 8), self.rng.randint(0, 59))
            now = moment.timestamp()
            token = protection.issue_token(feedback.SURVEY_FORM, self.unit.pk, issued_at=now - 75)
            scores = {q.pk: max(1, min(5, round(self.rng.gauss(mean, 0.7)))) for q in questions}
            feedback.submit_survey(
                self.unit,
                token=token,
                data={},
                ip=f"113.{160 + self.unit.pk % 30}.{index % 250}.{self.rng.randint(1, 254)}",
                procedure=self.rng.choice(procedures) if procedures else None,
                scores=scores,
                comment=self.rng.choice(COMMENTS),
                now=now,
            )
            self.counts["survey responses"] += 1

    def complaint(self):
        from govqms.feedback import services as feedback

        subject, content, response = COMPLAINTS[self.rng.randrange(len(COMPLAINTS))]
        received = self.d(self.rng.randint(3, 5), self.rng.randint(1, 26))
        while received.weekday() >= 5:
            received += dt.timedelta(days=1)
        self.at(received, 10)
        complaint = feedback.create_complaint(
            self.actor,
            self.unit,
            channel=self.rng.choice(["counter", "hotline", "portal", "letter"]),
            received_on=received,
            complainant_name=self.rng.choice(CITIZENS),
            complainant_contact=f"09{self.rng.randint(10000000, 99999999)}",
            subject=subject,
            content=content,
        )
        self.counts["complaints"] += 1
        if self.profile == FORMALISTIC:
            nc = feedback.raise_nonconformity(self.actor, complaint)
            self.formal_nc(nc, received)
            answered = received
        else:
            answered = received + dt.timedelta(days=6 if self.profile == EXEMPLARY else 16)
            if self.profile == EXEMPLARY and self.rng.random() < 0.5:
                self.at(received + dt.timedelta(days=1), 9)
                nc = feedback.raise_nonconformity(self.actor, complaint)
                self.handle_nc(nc, received + dt.timedelta(days=1), "complaint", finish=True)
        self.at(answered, 15)
        feedback.answer_complaint(self.actor, complaint, response=response, responded_on=answered)
        feedback.set_status(self.actor, complaint, "closed")

    # -- conformity announcement

    def announce(self):
        from govqms.oversight import selectors as oversight
        from govqms.oversight import services as oversight_services

        if self.profile == FORMALISTIC:
            day = dt.date(self.year - 1, 10, 6)  # before the TTHC of 2 January were assigned
        elif self.profile == ORDINARY and self.rng.random() < 0.4:
            return
        else:
            day = self.d(3, self.rng.randint(2, 27))
        self.at(day, 10)
        procedures = []
        if self.profile != FORMALISTIC:
            procedures = list(oversight.scope_procedures(self.actor, self.unit))
        oversight_services.record_announcement(
            self.actor,
            self.unit,
            decision_number=f"{self.rng.randint(12, 480)}/QĐ-{self.unit.code.split('-')[-1]}",
            decision_date=day,
            scope="Các TTHC thuộc thẩm quyền giải quyết của đơn vị"
            + ("" if procedures else " (theo danh mục kèm theo)"),
            procedures=procedures,
            procedure_count=None if procedures else self.rng.randint(20, 60),
            posted_at_office=True,
        )
        self.counts["announcements"] += 1

    # -- the year

    def run(self):
        profile, year = self.profile, self.year
        prev = year - 1
        exemplary, ordinary = profile == EXEMPLARY, profile == ORDINARY
        audit_day = self.d(6, 9 + self.rng.randint(0, 3)) if exemplary else self.d(9, 14)
        while audit_day.weekday() >= 5:
            audit_day += dt.timedelta(days=1)
        review_day = audit_day + dt.timedelta(days=35 if exemplary else 50)
        while review_day.weekday() >= 5:
            review_day += dt.timedelta(days=1)
        if audit_day > self.today:
            audit_day = None
        if review_day > self.today:
            review_day = None
        # The previous year's audit (the agencies were formed on 1 July).
        prev_day = dt.date(prev, 11, 17 + self.rng.randint(0, 3))
        clauses = CLAUSES_BIG if profile == FORMALISTIC else CLAUSES_SMALL
        n_processes = 4 if profile == FORMALISTIC else 2
        prev_plan, _f = self.audit(
            prev,
            prev_day,
            hours=3 if profile == FORMALISTIC else 14,
            clauses=clauses,
            n_processes=n_processes if profile == FORMALISTIC else 1,
            findings=[] if profile == FORMALISTIC else ["observation", "ofi"],
        )
        self.policy()
        if exemplary:
            self.cover()
        self.objectives()
        self.risks()
        self.plan(audit_day, review_day)
        self.announce()
        self.complaint()
        if audit_day:
            if exemplary:
                plan, findings = self.audit(
                    year,
                    audit_day,
                    hours=32,
                    clauses=clauses,
                    n_processes=n_processes,
                    findings=["good_practice", "minor", "observation", "ofi"],
                )
                nc = _nc_of(findings)
                if nc is not None:
                    self.handle_nc(nc, audit_day, "control_form", finish=True)
            elif ordinary:
                plan, findings = self.audit(
                    year,
                    audit_day,
                    hours=9,
                    clauses=clauses,
                    n_processes=n_processes,
                    findings=["minor_ordinary", "observation"],
                )
                nc = _nc_of(findings)
                if nc is not None:
                    self.handle_nc(nc, audit_day, "objective_plan", finish=False, late_action=True)
            else:
                copy = list(
                    prev_plan.items.order_by("order").values_list("question", "clause", "process")
                )
                from govqms.documents.models import Document

                docs = {d.pk: d for d in Document.objects.filter(unit=self.unit)}
                copy = [(q, c, docs.get(p)) for q, c, p in copy]
                self.audit(
                    year,
                    audit_day,
                    hours=0.5,
                    clauses=clauses,
                    n_processes=n_processes,
                    findings=[],
                    copy_from=copy,
                )
        if review_day:
            self.review(review_day)
        self.survey()


def _nc_of(findings):
    from govqms.improvement.models import Nonconformity

    for finding in findings:
        if finding.nonconformity_id:
            return Nonconformity.objects.get(pk=int(finding.nonconformity_id))
    return None


# ---------------------------------------------------------------- entry point


def load_demo_improvement(
    stdout=None,
    full: bool = False,
    *,
    units=None,
    today: dt.date | None = None,
    profiles: dict | None = None,
) -> dict:
    """Load the demo's year of improvement records (idempotent). `units`: the agencies
    (tests); by default those of `choose_units(full)`; `profiles`: {unit id: profile}
    to choose them (tests). Returns the counts."""
    today = today or timezone.localdate()
    if is_loaded(units):
        return {"loaded": False}
    units = list(units) if units is not None else choose_units(full)
    started = time.perf_counter()
    counts = dict.fromkeys(
        [
            "agencies",
            EXEMPLARY,
            ORDINARY,
            FORMALISTIC,
            "procedures written",
            "objectives",
            "measurements",
            "risks",
            "plan items",
            "audits",
            "findings",
            "corrective actions",
            "nonconformities closed",
            "reviews",
            "review decisions",
            "survey responses",
            "complaints",
            "announcements",
        ],
        0,
    )
    typical = set(_demo_units()) | set(profiles or {})
    profiles = {**assign_profiles(units, today), **(profiles or {})}
    clock = _Clock(today)
    # The demo people's addresses go nowhere: notifications are kept in the app only.
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
        clock.running(),
    ):
        for unit in units:
            agency = _Agency(
                unit, profiles[unit.pk], clock, today, counts, typical=unit.pk in typical
            )
            if agency.actor is None:
                continue
            agency.run()
            counts["agencies"] += 1
            counts[agency.profile] += 1
    counts["seconds"] = round(time.perf_counter() - started, 1)
    counts["loaded"] = True
    if stdout is not None:
        _say(stdout, f"Improvement loop loaded in {counts['seconds']:.1f} s:")
        for key, value in counts.items():
            if key not in ("loaded", "seconds"):
                _say(stdout, f"  {key:<24} {value:>6}")
    return counts

"""The default assessment scheme: a typical provincial 100-point set (DOMAIN.md, "The
provincial assessment"), in Vietnamese as agencies and the DoST read it.

The texts are records (data), not interface text: they are not translated. A DoST
starts from this scheme, then adapts it to its province's decision of the year.
Criteria that govqms can score from its own records carry a rule of the library
(assessments/rules.py) with its parameters; the others are scored by hand.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from govqms.core import audit
from govqms.organizations.models import Unit

from . import criteria as services
from .models import DEFAULT_BANDS, CriteriaGroup, CriteriaSet, Criterion

LEGAL_BASIS = (
    "Quyết định số 19/2014/QĐ-TTg; Thông tư số 26/2014/TT-BKHCN; "
    "Quyết định số 101/QĐ-BKHCN năm 2019"
)

# (group code, group title, [(code, text, guidance, evidence expected, max points,
#   rule key, rule parameters)])
SCHEME: list[tuple[str, str, list[tuple]]] = [
    (
        "1",
        "Xây dựng hệ thống tài liệu và công bố HTQLCL",
        [
            (
                "1.1",
                "Chính sách chất lượng, mục tiêu chất lượng được người đứng đầu ban hành "
                "và phổ biến tới toàn thể cán bộ, công chức.",
                "Chính sách và mục tiêu chất lượng phải phù hợp với chức năng, nhiệm vụ "
                "của cơ quan; mục tiêu đo lường được.",
                "Quyết định ban hành chính sách, mục tiêu chất lượng; biên bản hoặc "
                "thông báo phổ biến.",
                "3",
                "",
                {},
            ),
            (
                "1.2",
                "Phạm vi áp dụng HTQLCL bao quát toàn bộ thủ tục hành chính thuộc thẩm "
                "quyền giải quyết của cơ quan.",
                "Đối chiếu danh mục TTHC đã được Chủ tịch UBND tỉnh công bố với danh mục "
                "quy trình trong HTQLCL; danh mục được cập nhật trong 05 ngày làm việc "
                "kể từ khi TTHC được công bố.",
                "Danh mục TTHC thuộc phạm vi áp dụng; quyết định công bố TTHC.",
                "5",
                "tthc_coverage",
                {"full_at": 100},
            ),
            (
                "1.3",
                "Quy trình giải quyết TTHC được xây dựng đầy đủ, đúng quy định, thống "
                "nhất với quy trình nội bộ và quy trình điện tử trên Hệ thống một cửa.",
                "Mỗi quy trình nêu rõ trình tự, trách nhiệm, thời gian từng bước và "
                "biểu mẫu; thời hạn không vượt quá thời hạn luật định.",
                "Quyết định ban hành quy trình; quy trình nội bộ được phê duyệt.",
                "4",
                "",
                {},
            ),
            (
                "1.4",
                "Tài liệu của HTQLCL được rà soát, xem xét định kỳ đúng hạn.",
                "Mỗi tài liệu có kỳ rà soát; tài liệu quá hạn rà soát bị trừ điểm.",
                "Kế hoạch rà soát tài liệu; phiếu rà soát; danh mục tài liệu hiện hành.",
                "3",
                "documents_reviewed_on_time",
                {"full_at": 100, "zero_below": 50},
            ),
            (
                "1.5",
                "Công bố HTQLCL phù hợp TCVN ISO 9001:2015, gửi Sở KH&CN, niêm yết tại "
                "trụ sở và đăng tải trên trang thông tin điện tử; công bố lại khi điều "
                "chỉnh, mở rộng phạm vi áp dụng.",
                "Quyết định công bố theo mẫu tại Phụ lục I Quyết định 19/2014/QĐ-TTg; cơ "
                "quan thay đổi phạm vi hoặc mới hợp nhất chưa công bố lại không đạt.",
                "Quyết định công bố; ảnh niêm yết; đường dẫn trang thông tin điện tử.",
                "5",
                "announcement_current",
                {"needed_share": 0},
            ),
        ],
    ),
    (
        "2",
        "Áp dụng HTQLCL và lưu giữ hồ sơ",
        [
            (
                "2.1",
                "Cán bộ, công chức được phổ biến và xác nhận đã đọc các quy trình liên "
                "quan đến công việc của mình.",
                "Tỷ lệ xác nhận đã đọc trên tổng số lượt phân phối tài liệu; đạt từ 90 % "
                "được điểm tối đa.",
                "Danh sách phân phối tài liệu; xác nhận đã đọc trên phần mềm.",
                "4",
                "acknowledgement_share",
                {"threshold": 90, "zero_below": 50},
            ),
            (
                "2.2",
                "Hồ sơ TTHC được giải quyết đúng quy trình, đúng hạn; hồ sơ trễ hạn có "
                "văn bản xin lỗi và hẹn lại ngày trả kết quả.",
                "Tỷ lệ hồ sơ giải quyết đúng hạn trong năm theo số liệu Hệ thống một cửa điện tử.",
                "Báo cáo tình hình giải quyết hồ sơ TTHC; phiếu xin lỗi và hẹn lại.",
                "8",
                "dossier_on_time_rate",
                {"full_at": 98, "partial_at": 90, "partial_share": 50},
            ),
            (
                "2.3",
                "Hồ sơ, biểu mẫu được lập, lưu giữ đầy đủ, truy xuất được theo quy định "
                "của từng quy trình.",
                "Kiểm tra xác suất hồ sơ của một số quy trình.",
                "Danh mục hồ sơ; hồ sơ lưu trữ mẫu.",
                "5",
                "",
                {},
            ),
            (
                "2.4",
                "Mục tiêu chất lượng có kế hoạch thực hiện và được đo lường, đánh giá "
                "mức độ đạt được trong năm.",
                "Mỗi mục tiêu có chỉ số, chỉ tiêu và kết quả đo trong năm đánh giá.",
                "Kế hoạch thực hiện mục tiêu; báo cáo kết quả đo lường.",
                "4",
                "objectives_measured",
                {"full_at": 100},
            ),
            (
                "2.5",
                "Phản ánh, kiến nghị của tổ chức, cá nhân được tiếp nhận, xử lý và trả "
                "lời kịp thời.",
                "Xem sổ theo dõi phản ánh, kiến nghị và văn bản trả lời.",
                "Sổ theo dõi phản ánh, kiến nghị; văn bản trả lời.",
                "4",
                "",
                {},
            ),
        ],
    ),
    (
        "3",
        "Đánh giá nội bộ và xem xét của lãnh đạo",
        [
            (
                "3.1",
                "Đánh giá nội bộ được thực hiện ít nhất một lần trong năm, bao quát toàn "
                "bộ phạm vi áp dụng HTQLCL.",
                "Đánh giá nội bộ phải hoàn thành, có báo cáo kết quả trong năm đánh giá.",
                "Kế hoạch, chương trình đánh giá nội bộ; báo cáo đánh giá nội bộ.",
                "8",
                "internal_audit_done",
                {"by_coverage": 1, "full_at": 100},
            ),
            (
                "3.2",
                "Đánh giá nội bộ có thực chất: phát hiện và ghi nhận điểm không phù hợp, "
                "khuyến nghị cải tiến, không mang tính hình thức.",
                "Báo cáo đánh giá không ghi nhận phát hiện nào trong nhiều năm liên tiếp "
                "là dấu hiệu hình thức.",
                "Phiếu ghi chép đánh giá; danh sách điểm không phù hợp.",
                "4",
                "",
                {},
            ),
            (
                "3.3",
                "Xem xét của lãnh đạo được tổ chức ít nhất một lần trong năm, với đầy đủ "
                "đầu vào theo tiêu chuẩn.",
                "Đầu vào gồm kết quả đánh giá nội bộ, mục tiêu, phản ánh kiến nghị, hành "
                "động khắc phục, thay đổi ảnh hưởng tới HTQLCL.",
                "Biên bản hoặc báo cáo cuộc họp xem xét của lãnh đạo.",
                "8",
                "management_review_held",
                {"min_decisions": 1, "without_decisions_share": 50},
            ),
            (
                "3.4",
                "Người đứng đầu trực tiếp chỉ đạo việc duy trì, cải tiến HTQLCL và xác "
                "nhận hiệu lực của hệ thống.",
                "Người đứng đầu chủ trì xem xét của lãnh đạo và ký xác nhận hiệu lực.",
                "Văn bản chỉ đạo; văn bản xác nhận hiệu lực của người đứng đầu.",
                "5",
                "",
                {},
            ),
        ],
    ),
    (
        "4",
        "Cập nhật văn bản pháp luật và hành động khắc phục",
        [
            (
                "4.1",
                "Văn bản quy phạm pháp luật mới liên quan được cập nhật vào quy trình "
                "trong vòng 03 tháng kể từ ngày có hiệu lực.",
                "Mỗi văn bản cập nhật trễ hạn bị trừ điểm theo tỷ lệ.",
                "Danh mục văn bản pháp luật áp dụng; quy trình đã sửa đổi.",
                "7",
                "legal_updates_on_time",
                {"months": 3, "full_at": 100},
            ),
            (
                "4.2",
                "Điểm không phù hợp được phân tích nguyên nhân và hành động khắc phục "
                "được hoàn thành đúng hạn.",
                "Tỷ lệ hành động khắc phục hoàn thành đúng hạn trong năm.",
                "Phiếu yêu cầu khắc phục; hồ sơ theo dõi hành động khắc phục.",
                "8",
                "corrective_actions_on_time",
                {"full_at": 90, "zero_below": 0},
            ),
            (
                "4.3",
                "Hiệu lực của hành động khắc phục được đánh giá trước khi kết thúc điểm "
                "không phù hợp.",
                "Mỗi điểm không phù hợp đã đóng có kết quả đánh giá hiệu lực.",
                "Phiếu yêu cầu khắc phục có phần đánh giá hiệu lực.",
                "5",
                "",
                {},
            ),
        ],
    ),
    (
        "5",
        "Cải tiến và ứng dụng công nghệ thông tin",
        [
            (
                "5.1",
                "Có sáng kiến, giải pháp cải tiến quy trình, rút ngắn thời gian giải "
                "quyết TTHC so với quy định.",
                "Cải tiến được ban hành và áp dụng trong năm đánh giá.",
                "Quyết định ban hành quy trình cải tiến; báo cáo kết quả áp dụng.",
                "4",
                "",
                {},
            ),
            (
                "5.2",
                "Ứng dụng phần mềm, công nghệ thông tin trong xây dựng, áp dụng, duy trì "
                "HTQLCL (ISO điện tử).",
                "Tài liệu, hồ sơ HTQLCL được quản lý trên phần mềm dùng chung của tỉnh.",
                "Tài khoản, dữ liệu trên phần mềm ISO điện tử.",
                "3",
                "",
                {},
            ),
            (
                "5.3",
                "Khảo sát, đo lường sự hài lòng của tổ chức, cá nhân đối với việc giải "
                "quyết TTHC và sử dụng kết quả để cải tiến.",
                "Có phiếu khảo sát và báo cáo tổng hợp kết quả trong năm.",
                "Phiếu khảo sát; báo cáo kết quả đo lường sự hài lòng.",
                "3",
                "",
                {},
            ),
        ],
    ),
]


def scheme_total() -> Decimal:
    return sum((Decimal(c[4]) for _, _, items in SCHEME for c in items), Decimal(0))


def create_default_set(actor, *, owner: Unit, year: int, title: str | None = None) -> CriteriaSet:
    """A draft set for `year` holding the default scheme and the default bands."""
    with transaction.atomic():
        cs = services.create_set(
            actor,
            owner=owner,
            year=year,
            title=title or services.default_title(year),
            legal_basis=LEGAL_BASIS,
            bands=list(DEFAULT_BANDS),
        )
        criteria = []
        for g_order, (g_code, g_title, items) in enumerate(SCHEME, start=1):
            group = CriteriaGroup.objects.create(
                criteria_set=cs, order=g_order, code=g_code, title=g_title
            )
            for c_order, (code, text, guidance, evidence, points, rule, params) in enumerate(
                items, start=1
            ):
                criteria.append(
                    Criterion(
                        criteria_set=cs,
                        group=group,
                        order=c_order,
                        code=code,
                        text=text,
                        guidance=guidance,
                        evidence_expected=evidence,
                        max_points=Decimal(points),
                        rule=rule,
                        rule_params=dict(params),
                    )
                )
        Criterion.objects.bulk_create(criteria)
        audit.record(
            actor=actor,
            action="criteria_set_import",
            obj=cs,
            unit=owner,
            changes={
                "groups": [None, len(SCHEME)],
                "criteria": [None, len(criteria)],
                "total_points": [None, str(scheme_total())],
            },
            note="Tạo từ bộ tiêu chí mẫu",
        )
    return cs

"""The default model framework a DoST publishes for its local agencies, after the
model framework of Decision 101/QĐ-BKHCN (2019): the six system procedures and the
common operational procedures of a commune People's Committee.

The text is written for govqms (not copied from any agency's documents): purpose,
scope, references, definitions, legal basis, conditions, dossier components,
processing time, where to submit, fees, the step table (hours add up to the legal
time limit, 8 hours = 1 working day), forms and records to keep. Legal citations
are data an agency checks and adapts when it adopts a template.

`load_default_framework(publisher_unit)` creates and publishes it once (idempotent).
"""

import copy

from django.db import transaction

from .models import DocumentKind, Framework, FrameworkVersion

FRAMEWORK_TITLE = (
    "Mô hình khung hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 cho Ủy ban nhân dân cấp xã"
)
FRAMEWORK_NOTE = (
    "Ban hành lần đầu, xây dựng theo Mô hình khung tại Quyết định số 101/QĐ-BKHCN (2019) "
    "của Bộ Khoa học và Công nghệ: 06 quy trình hệ thống và 12 quy trình giải quyết "
    "thủ tục hành chính thường gặp ở cấp xã."
)

ISO = "TCVN ISO 9001:2015 Hệ thống quản lý chất lượng – Các yêu cầu"
QD19 = (
    "Quyết định số 19/2014/QĐ-TTg của Thủ tướng Chính phủ về áp dụng hệ thống quản lý "
    "chất lượng theo TCVN ISO 9001 vào hoạt động của các cơ quan, tổ chức thuộc hệ thống "
    "hành chính nhà nước"
)
QD101 = (
    "Quyết định số 101/QĐ-BKHCN (2019) của Bộ trưởng Bộ Khoa học và Công nghệ ban hành "
    "Mô hình khung hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 cho các cơ quan, "
    "tổ chức thuộc hệ thống hành chính nhà nước tại địa phương"
)
ONE_STOP = (
    "Nghị định số 118/2025/NĐ-CP về thực hiện thủ tục hành chính theo cơ chế một cửa, "
    "một cửa liên thông tại Bộ phận Một cửa và Cổng Dịch vụ công quốc gia"
)
CIVIL_STATUS_LAW = "Luật Hộ tịch số 60/2014/QH13"
CIVIL_STATUS_DECREE = (
    "Nghị định số 123/2015/NĐ-CP quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch"
)
CIVIL_STATUS_CIRCULAR = (
    "Thông tư số 04/2020/TT-BTP quy định chi tiết thi hành một số điều của Luật Hộ tịch "
    "và Nghị định số 123/2015/NĐ-CP"
)
FAMILY_LAW = "Luật Hôn nhân và gia đình số 52/2014/QH13"
CERTIFICATION_DECREE = (
    "Nghị định số 23/2015/NĐ-CP về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản "
    "chính, chứng thực chữ ký và chứng thực hợp đồng, giao dịch"
)
CERTIFICATION_CIRCULAR = (
    "Thông tư số 01/2020/TT-BTP quy định chi tiết và hướng dẫn thi hành một số điều của "
    "Nghị định số 23/2015/NĐ-CP"
)
CERTIFICATION_FEES = (
    "Thông tư số 226/2016/TT-BTC quy định mức thu, chế độ thu, nộp, quản lý và sử dụng "
    "phí chứng thực"
)
RESIDENCE_LAW = "Luật Cư trú số 68/2020/QH14 và các văn bản hướng dẫn thi hành"

COMMON_DEFINITIONS = [
    {"term": "HTQLCL", "meaning": "Hệ thống quản lý chất lượng"},
    {"term": "UBND", "meaning": "Ủy ban nhân dân"},
    {"term": "TTHC", "meaning": "Thủ tục hành chính"},
    {
        "term": "Bộ phận Một cửa",
        "meaning": "Bộ phận tiếp nhận và trả kết quả giải quyết thủ tục hành chính của UBND xã",
    },
]

# ---------------------------------------------------------------- system procedures

SYSTEM_STEP = None  # system procedures have no legal time limit per step


def _step(no, name, responsible, hours, form):
    return {
        "step": f"B{no}",
        "name": name,
        "responsible": responsible,
        "hours": hours,
        "form": form,
    }


def _system(key, code, title, **content):
    base = {
        "references": [ISO, QD19, QD101],
        "definitions": COMMON_DEFINITIONS[:2],
        "legal_basis": "",
        "conditions": "",
        "dossier_components": [],
        "processing_time": "",
        "where": "",
        "fees": "",
    }
    base.update(content)
    return {
        "key": key,
        "code": code,
        "title": title,
        "kind": DocumentKind.SYSTEM_PROCEDURE,
        "content": base,
    }


SYSTEM_PROCEDURES = [
    _system(
        "kiem-soat-thong-tin",
        "QT-HT-01",
        "Quy trình kiểm soát thông tin dạng văn bản",
        purpose=(
            "Thống nhất cách soạn thảo, xem xét, phê duyệt, ban hành, phân phối, sửa đổi, "
            "lưu giữ và hủy bỏ thông tin dạng văn bản của hệ thống quản lý chất lượng, "
            "bảo đảm mọi người luôn sử dụng đúng phiên bản đang có hiệu lực."
        ),
        scope=(
            "Áp dụng cho toàn bộ tài liệu nội bộ (chính sách, mục tiêu chất lượng, quy "
            "trình, hướng dẫn, biểu mẫu), tài liệu có nguồn gốc bên ngoài (văn bản quy phạm "
            "pháp luật, tiêu chuẩn) và hồ sơ của HTQLCL tại UBND xã."
        ),
        definitions=[
            *COMMON_DEFINITIONS[:2],
            {"term": "Tài liệu", "meaning": "Thông tin dạng văn bản cần được duy trì"},
            {"term": "Hồ sơ", "meaning": "Thông tin dạng văn bản cần được lưu giữ làm bằng chứng"},
            {"term": "Lần ban hành", "meaning": "Số thứ tự phiên bản của tài liệu"},
        ],
        steps=[
            _step(
                1,
                "Đề xuất soạn thảo mới hoặc sửa đổi tài liệu",
                "Cán bộ, công chức có nhu cầu",
                SYSTEM_STEP,
                "Phiếu đề nghị soạn thảo, sửa đổi tài liệu",
            ),
            _step(
                2,
                "Xem xét đề xuất, giao người soạn thảo",
                "Thư ký ISO; Lãnh đạo UBND xã",
                SYSTEM_STEP,
                "Phiếu đề nghị đã có ý kiến",
            ),
            _step(
                3,
                "Soạn thảo hoặc sửa đổi tài liệu theo cấu trúc thống nhất",
                "Người được giao soạn thảo",
                SYSTEM_STEP,
                "Dự thảo tài liệu",
            ),
            _step(
                4,
                "Xem xét sự phù hợp với yêu cầu của tiêu chuẩn và pháp luật",
                "Thư ký ISO",
                SYSTEM_STEP,
                "Dự thảo đã xem xét",
            ),
            _step(
                5,
                "Phê duyệt, ký ban hành",
                "Chủ tịch UBND xã",
                SYSTEM_STEP,
                "Quyết định ban hành tài liệu",
            ),
            _step(
                6,
                "Phân phối tài liệu, thu hồi phiên bản hết hiệu lực",
                "Thư ký ISO",
                SYSTEM_STEP,
                "Sổ theo dõi phân phối tài liệu",
            ),
            _step(
                7,
                "Cập nhật danh mục tài liệu, lưu trữ bản gốc",
                "Thư ký ISO",
                SYSTEM_STEP,
                "Danh mục tài liệu nội bộ; Danh mục tài liệu bên ngoài",
            ),
        ],
        forms=[
            {"code": "BM-HT01-01", "name": "Phiếu đề nghị soạn thảo, sửa đổi tài liệu"},
            {"code": "BM-HT01-02", "name": "Danh mục tài liệu nội bộ"},
            {"code": "BM-HT01-03", "name": "Danh mục tài liệu có nguồn gốc bên ngoài"},
            {"code": "BM-HT01-04", "name": "Sổ theo dõi phân phối tài liệu"},
            {"code": "BM-HT01-05", "name": "Danh mục hồ sơ"},
        ],
        records=[
            {
                "record": "Phiếu đề nghị soạn thảo, sửa đổi tài liệu",
                "keeper": "Thư ký ISO",
                "retention": "03 năm",
            },
            {
                "record": "Danh mục tài liệu nội bộ và bên ngoài",
                "keeper": "Thư ký ISO",
                "retention": "Đến khi có danh mục mới",
            },
            {
                "record": "Bản gốc tài liệu đã ban hành",
                "keeper": "Văn phòng UBND xã",
                "retention": "Lâu dài",
            },
        ],
        body=(
            "Mỗi tài liệu có mã hiệu, lần ban hành, ngày ban hành và số trang; trang đầu có "
            "khối ký soạn thảo – xem xét – phê duyệt và bảng theo dõi sửa đổi.\n"
            "Mã hiệu quy trình: QT-HT-xx cho quy trình hệ thống, QT-<lĩnh vực>-xx cho quy "
            "trình giải quyết thủ tục hành chính; biểu mẫu mang mã BM-<mã quy trình>-xx.\n"
            "Tài liệu được xem xét lại ít nhất mỗi năm một lần và khi văn bản pháp luật liên "
            "quan thay đổi; việc cập nhật hoàn thành trong 03 tháng kể từ khi văn bản mới có "
            "hiệu lực.\n"
            'Phiên bản hết hiệu lực được đóng dấu hoặc ghi chú "hết hiệu lực" và lưu riêng, '
            "không sử dụng cho công việc."
        ),
    ),
    _system(
        "danh-gia-noi-bo",
        "QT-HT-02",
        "Quy trình đánh giá nội bộ",
        purpose=(
            "Xác định HTQLCL có phù hợp với yêu cầu của TCVN ISO 9001:2015, của pháp luật và "
            "của chính UBND xã hay không, có được áp dụng và duy trì hiệu lực hay không."
        ),
        scope=(
            "Áp dụng cho các cuộc đánh giá nội bộ định kỳ (ít nhất mỗi năm một lần) và đột "
            "xuất đối với toàn bộ các quá trình thuộc phạm vi HTQLCL của UBND xã."
        ),
        definitions=[
            *COMMON_DEFINITIONS[:2],
            {"term": "ĐGNB", "meaning": "Đánh giá nội bộ"},
            {"term": "Chuyên gia đánh giá", "meaning": "Người đã được đào tạo về ĐGNB"},
            {"term": "NC", "meaning": "Sự không phù hợp"},
        ],
        steps=[
            _step(
                1,
                "Lập chương trình đánh giá nội bộ năm",
                "Thư ký ISO",
                SYSTEM_STEP,
                "Chương trình đánh giá nội bộ",
            ),
            _step(
                2,
                "Phê duyệt chương trình, quyết định thành lập đoàn đánh giá",
                "Chủ tịch UBND xã",
                SYSTEM_STEP,
                "Quyết định thành lập đoàn đánh giá",
            ),
            _step(
                3,
                "Lập kế hoạch đánh giá, chuẩn bị danh mục câu hỏi",
                "Trưởng đoàn đánh giá",
                SYSTEM_STEP,
                "Kế hoạch đánh giá; Phiếu ghi chép đánh giá",
            ),
            _step(
                4,
                "Họp khai mạc, tiến hành đánh giá tại các bộ phận",
                "Đoàn đánh giá (không đánh giá công việc của chính mình)",
                SYSTEM_STEP,
                "Phiếu ghi chép đánh giá",
            ),
            _step(
                5,
                "Họp kết thúc, thống nhất các phát hiện",
                "Đoàn đánh giá; các bộ phận được đánh giá",
                SYSTEM_STEP,
                "Phiếu báo cáo sự không phù hợp",
            ),
            _step(
                6,
                "Lập báo cáo đánh giá, trình lãnh đạo",
                "Trưởng đoàn đánh giá",
                SYSTEM_STEP,
                "Báo cáo đánh giá nội bộ",
            ),
            _step(
                7,
                "Theo dõi việc khắc phục, kiểm tra hiệu lực",
                "Thư ký ISO",
                SYSTEM_STEP,
                "Phiếu báo cáo sự không phù hợp đã kết thúc",
            ),
        ],
        forms=[
            {"code": "BM-HT02-01", "name": "Chương trình đánh giá nội bộ"},
            {"code": "BM-HT02-02", "name": "Kế hoạch đánh giá"},
            {"code": "BM-HT02-03", "name": "Phiếu ghi chép đánh giá"},
            {"code": "BM-HT02-04", "name": "Báo cáo đánh giá nội bộ"},
        ],
        records=[
            {
                "record": "Chương trình, kế hoạch đánh giá nội bộ",
                "keeper": "Thư ký ISO",
                "retention": "03 năm",
            },
            {
                "record": "Phiếu ghi chép và báo cáo đánh giá",
                "keeper": "Thư ký ISO",
                "retention": "03 năm",
            },
        ],
        body=(
            "Chuyên gia đánh giá phải được đào tạo về đánh giá nội bộ và không đánh giá công "
            "việc do mình trực tiếp thực hiện.\n"
            "Phát hiện được phân loại: không phù hợp nặng, không phù hợp nhẹ, điều cần lưu ý, "
            "cơ hội cải tiến. Mỗi sự không phù hợp được xử lý theo quy trình QT-HT-04.\n"
            "Kết quả đánh giá là đầu vào của cuộc họp xem xét của lãnh đạo."
        ),
    ),
    _system(
        "xem-xet-lanh-dao",
        "QT-HT-03",
        "Quy trình xem xét của lãnh đạo",
        purpose=(
            "Bảo đảm lãnh đạo UBND xã định kỳ xem xét HTQLCL để khẳng định sự phù hợp, thỏa "
            "đáng, hiệu lực và định hướng chiến lược, quyết định các cải tiến và nguồn lực."
        ),
        scope=(
            "Áp dụng cho cuộc họp xem xét của lãnh đạo định kỳ ít nhất mỗi năm một lần và "
            "các cuộc họp đột xuất khi có thay đổi lớn về tổ chức hoặc phạm vi áp dụng."
        ),
        steps=[
            _step(
                1,
                "Lập kế hoạch họp xem xét, thông báo nội dung cần chuẩn bị",
                "Thư ký ISO",
                SYSTEM_STEP,
                "Kế hoạch họp xem xét của lãnh đạo",
            ),
            _step(
                2,
                "Chuẩn bị báo cáo đầu vào theo mục 9.3.2 của tiêu chuẩn",
                "Các bộ phận; Thư ký ISO tổng hợp",
                SYSTEM_STEP,
                "Báo cáo đầu vào xem xét của lãnh đạo",
            ),
            _step(
                3,
                "Tổ chức họp xem xét",
                "Chủ tịch UBND xã chủ trì; Ban chỉ đạo ISO",
                SYSTEM_STEP,
                "Biên bản họp xem xét của lãnh đạo",
            ),
            _step(
                4,
                "Ban hành kết luận, giao nhiệm vụ cải tiến và nguồn lực",
                "Chủ tịch UBND xã",
                SYSTEM_STEP,
                "Thông báo kết luận họp xem xét",
            ),
            _step(
                5,
                "Theo dõi thực hiện kết luận, báo cáo kết quả",
                "Thư ký ISO",
                SYSTEM_STEP,
                "Bảng theo dõi thực hiện kết luận",
            ),
        ],
        forms=[
            {"code": "BM-HT03-01", "name": "Kế hoạch họp xem xét của lãnh đạo"},
            {"code": "BM-HT03-02", "name": "Báo cáo đầu vào xem xét của lãnh đạo"},
            {"code": "BM-HT03-03", "name": "Biên bản họp xem xét của lãnh đạo"},
        ],
        records=[
            {
                "record": "Báo cáo đầu vào và biên bản họp xem xét",
                "keeper": "Thư ký ISO",
                "retention": "03 năm",
            },
            {
                "record": "Thông báo kết luận và bảng theo dõi thực hiện",
                "keeper": "Văn phòng UBND xã",
                "retention": "03 năm",
            },
        ],
        body=(
            "Đầu vào của cuộc họp gồm: tình trạng thực hiện kết luận lần trước; thay đổi của "
            "bối cảnh bên trong, bên ngoài; mức độ hài lòng và ý kiến của người dân; mức độ "
            "đạt mục tiêu chất lượng; kết quả giải quyết hồ sơ đúng hạn, trễ hạn; sự không "
            "phù hợp và hành động khắc phục; kết quả đánh giá nội bộ và kiểm tra của Sở Khoa "
            "học và Công nghệ; sự thỏa đáng của nguồn lực; hiệu lực của các hành động giải "
            "quyết rủi ro và cơ hội; cơ hội cải tiến.\n"
            "Đầu ra gồm các quyết định về cơ hội cải tiến, nhu cầu thay đổi HTQLCL và nhu "
            "cầu nguồn lực."
        ),
    ),
    _system(
        "khong-phu-hop",
        "QT-HT-04",
        "Quy trình kiểm soát sự không phù hợp, hành động khắc phục và cải tiến",
        purpose=(
            "Phát hiện, xử lý kịp thời sự không phù hợp, tìm và loại bỏ nguyên nhân để "
            "không tái diễn, và thúc đẩy cải tiến liên tục hiệu lực của HTQLCL."
        ),
        scope=(
            "Áp dụng cho các sự không phù hợp phát hiện qua giải quyết hồ sơ (trễ hạn, sai "
            "sót kết quả), đánh giá nội bộ, kiểm tra của cơ quan cấp trên, phản ánh, kiến "
            "nghị của tổ chức, cá nhân và cho các đề xuất cải tiến."
        ),
        steps=[
            _step(
                1,
                "Phát hiện và ghi nhận sự không phù hợp",
                "Mọi cán bộ, công chức",
                SYSTEM_STEP,
                "Phiếu báo cáo sự không phù hợp",
            ),
            _step(
                2,
                "Khắc phục tức thời (sửa kết quả, xin lỗi và hẹn lại ngày trả)",
                "Bộ phận liên quan",
                SYSTEM_STEP,
                "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
            ),
            _step(
                3,
                "Phân tích nguyên nhân gốc rễ",
                "Bộ phận liên quan; Thư ký ISO",
                SYSTEM_STEP,
                "Phiếu báo cáo sự không phù hợp",
            ),
            _step(
                4,
                "Đề xuất và phê duyệt hành động khắc phục",
                "Lãnh đạo UBND xã",
                SYSTEM_STEP,
                "Phiếu yêu cầu hành động khắc phục",
            ),
            _step(
                5,
                "Thực hiện hành động khắc phục",
                "Bộ phận được giao",
                SYSTEM_STEP,
                "Bằng chứng thực hiện",
            ),
            _step(
                6,
                "Kiểm tra hiệu lực, kết thúc sự không phù hợp",
                "Thư ký ISO",
                SYSTEM_STEP,
                "Sổ theo dõi sự không phù hợp",
            ),
        ],
        forms=[
            {"code": "BM-HT04-01", "name": "Phiếu báo cáo sự không phù hợp"},
            {"code": "BM-HT04-02", "name": "Phiếu yêu cầu hành động khắc phục"},
            {"code": "BM-HT04-03", "name": "Sổ theo dõi sự không phù hợp và hành động khắc phục"},
            {"code": "BM-HT04-04", "name": "Phiếu đề xuất cải tiến"},
        ],
        records=[
            {
                "record": "Phiếu báo cáo sự không phù hợp và hành động khắc phục",
                "keeper": "Thư ký ISO",
                "retention": "03 năm",
            },
            {
                "record": "Sổ theo dõi sự không phù hợp",
                "keeper": "Thư ký ISO",
                "retention": "03 năm",
            },
        ],
        body=(
            "Sự không phù hợp chỉ được kết thúc khi mọi hành động đã hoàn thành và hiệu lực "
            "đã được kiểm tra.\n"
            "Hồ sơ trễ hạn phải có phiếu xin lỗi gửi người dân trước ngày hẹn trả ít nhất "
            "01 ngày làm việc; ngày hẹn mới chỉ được đặt một lần."
        ),
    ),
    _system(
        "rui-ro-co-hoi",
        "QT-HT-05",
        "Quy trình quản lý rủi ro và cơ hội",
        purpose=(
            "Nhận diện, đánh giá và xử lý các rủi ro có thể làm hồ sơ bị trễ hạn, sai sót "
            "hoặc làm người dân không hài lòng, và các cơ hội để cải thiện chất lượng phục vụ."
        ),
        scope="Áp dụng cho các quá trình thuộc phạm vi HTQLCL của UBND xã.",
        steps=[
            _step(
                1,
                "Xác định bối cảnh, các bên quan tâm và nhận diện rủi ro, cơ hội",
                "Các bộ phận",
                SYSTEM_STEP,
                "Sổ đăng ký rủi ro và cơ hội",
            ),
            _step(
                2,
                "Đánh giá mức độ rủi ro (khả năng xảy ra × mức độ ảnh hưởng)",
                "Các bộ phận; Thư ký ISO",
                SYSTEM_STEP,
                "Sổ đăng ký rủi ro và cơ hội",
            ),
            _step(
                3,
                "Xây dựng kế hoạch xử lý rủi ro và tận dụng cơ hội",
                "Thư ký ISO",
                SYSTEM_STEP,
                "Kế hoạch xử lý rủi ro",
            ),
            _step(
                4,
                "Phê duyệt kế hoạch",
                "Chủ tịch UBND xã",
                SYSTEM_STEP,
                "Kế hoạch đã phê duyệt",
            ),
            _step(
                5,
                "Thực hiện, theo dõi và đánh giá hiệu lực của hành động",
                "Các bộ phận; Thư ký ISO",
                SYSTEM_STEP,
                "Báo cáo đánh giá hiệu lực",
            ),
        ],
        forms=[
            {"code": "BM-HT05-01", "name": "Sổ đăng ký rủi ro và cơ hội"},
            {"code": "BM-HT05-02", "name": "Kế hoạch xử lý rủi ro và cơ hội"},
        ],
        records=[
            {
                "record": "Sổ đăng ký và kế hoạch xử lý rủi ro, cơ hội",
                "keeper": "Thư ký ISO",
                "retention": "03 năm",
            }
        ],
        body=(
            "Thang điểm: khả năng xảy ra và mức độ ảnh hưởng đều chấm từ 1 đến 5; rủi ro có "
            "tích số từ 10 trở lên phải có hành động xử lý.\n"
            "Sổ đăng ký được xem xét lại ít nhất mỗi năm một lần và khi có thay đổi về tổ "
            "chức, pháp luật hoặc thủ tục hành chính."
        ),
    ),
    _system(
        "khieu-nai-hai-long",
        "QT-HT-06",
        "Quy trình giải quyết khiếu nại và đo lường sự hài lòng",
        purpose=(
            "Tiếp nhận, giải quyết kịp thời phản ánh, kiến nghị, khiếu nại của tổ chức, cá "
            "nhân về việc giải quyết thủ tục hành chính và đo lường mức độ hài lòng của "
            "người dân làm đầu vào cho cải tiến."
        ),
        scope=(
            "Áp dụng cho phản ánh, kiến nghị, khiếu nại gửi trực tiếp, qua hòm thư góp ý, "
            "đường dây nóng, Cổng Dịch vụ công và cho khảo sát sự hài lòng tại Bộ phận Một cửa."
        ),
        legal_basis=(
            "Luật Khiếu nại số 02/2011/QH13; Nghị định số 20/2008/NĐ-CP về tiếp nhận, xử lý "
            "phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính."
        ),
        steps=[
            _step(
                1,
                "Tiếp nhận, vào sổ phản ánh, kiến nghị, khiếu nại",
                "Bộ phận Một cửa",
                SYSTEM_STEP,
                "Sổ theo dõi phản ánh, kiến nghị",
            ),
            _step(
                2,
                "Phân loại, chuyển bộ phận có trách nhiệm",
                "Văn phòng UBND xã",
                SYSTEM_STEP,
                "Phiếu chuyển",
            ),
            _step(
                3,
                "Xác minh, đề xuất hướng giải quyết",
                "Bộ phận có trách nhiệm",
                SYSTEM_STEP,
                "Báo cáo xác minh",
            ),
            _step(
                4,
                "Quyết định giải quyết, trả lời tổ chức, cá nhân",
                "Chủ tịch UBND xã",
                SYSTEM_STEP,
                "Văn bản trả lời",
            ),
            _step(
                5,
                "Khảo sát sự hài lòng định kỳ hằng quý",
                "Bộ phận Một cửa",
                SYSTEM_STEP,
                "Phiếu khảo sát sự hài lòng",
            ),
            _step(
                6,
                "Tổng hợp, phân tích kết quả, đề xuất cải tiến",
                "Thư ký ISO",
                SYSTEM_STEP,
                "Báo cáo kết quả đo lường sự hài lòng",
            ),
        ],
        forms=[
            {"code": "BM-HT06-01", "name": "Sổ theo dõi phản ánh, kiến nghị, khiếu nại"},
            {"code": "BM-HT06-02", "name": "Phiếu khảo sát sự hài lòng của người dân"},
            {"code": "BM-HT06-03", "name": "Báo cáo kết quả đo lường sự hài lòng"},
        ],
        records=[
            {
                "record": "Sổ theo dõi và hồ sơ giải quyết phản ánh, khiếu nại",
                "keeper": "Văn phòng UBND xã",
                "retention": "05 năm",
            },
            {
                "record": "Phiếu khảo sát và báo cáo sự hài lòng",
                "keeper": "Thư ký ISO",
                "retention": "03 năm",
            },
        ],
        body=(
            "Phiếu khảo sát hỏi về: thời gian chờ, thái độ của công chức, sự rõ ràng của "
            "hướng dẫn, việc trả kết quả đúng hẹn và chi phí. Mỗi quý khảo sát ít nhất 30 "
            "lượt người dân hoặc toàn bộ nếu ít hơn.\n"
            "Mục tiêu: tỷ lệ hài lòng từ 95% trở lên; mọi ý kiến không hài lòng đều được "
            "phân tích nguyên nhân."
        ),
    ),
]

# ---------------------------------------------------------------- operational procedures

JUSTICE = "Công chức Tư pháp - Hộ tịch"
ONE_STOP_DESK = "Công chức Bộ phận Một cửa"
LEADER = "Chủ tịch hoặc Phó Chủ tịch UBND xã"
OFFICE = "Công chức Văn phòng - Thống kê"
POLICE = "Công an xã"

WHERE = (
    "Bộ phận Một cửa UBND xã (giờ hành chính các ngày làm việc) hoặc nộp trực tuyến trên "
    "Cổng Dịch vụ công quốc gia; nhận kết quả tại Bộ phận Một cửa hoặc qua dịch vụ bưu chính."
)

ONE_STOP_FORMS = [
    {"code": "BM-MC-01", "name": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"},
    {"code": "BM-MC-02", "name": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"},
    {"code": "BM-MC-03", "name": "Phiếu từ chối tiếp nhận giải quyết hồ sơ"},
    {"code": "BM-MC-04", "name": "Phiếu kiểm soát quá trình giải quyết hồ sơ"},
    {"code": "BM-MC-05", "name": "Phiếu xin lỗi và hẹn lại ngày trả kết quả"},
]

# Hours of the seven one-stop steps for each legal time limit (8 hours = 1 working day).
HOURS = {
    8: [1, 0.5, 3, 0.5, 1.5, 1, 0.5],
    16: [2, 1, 7, 1, 2, 2, 1],
    24: [2, 2, 12, 2, 3, 2, 1],
}


def _one_stop_steps(total, specialist, task, draft, result, signer=LEADER):
    h = HOURS[total]
    return [
        _step(
            1,
            "Tiếp nhận, kiểm tra hồ sơ; hướng dẫn bổ sung nếu chưa đầy đủ",
            ONE_STOP_DESK,
            h[0],
            "BM-MC-01; BM-MC-02; BM-MC-04",
        ),
        _step(2, "Chuyển hồ sơ cho công chức chuyên môn", ONE_STOP_DESK, h[1], "BM-MC-04"),
        _step(3, task, specialist, h[2], draft),
        _step(4, "Trình lãnh đạo ký kết quả", specialist, h[3], "Hồ sơ trình ký"),
        _step(5, "Xem xét, ký kết quả", signer, h[4], result),
        _step(6, "Vào sổ, đóng dấu, chuyển kết quả", specialist, h[5], "Sổ đăng ký"),
        _step(
            7,
            "Trả kết quả, thu phí, lệ phí (nếu có)",
            ONE_STOP_DESK,
            h[6],
            f"{result}; BM-MC-04",
        ),
    ]


def _operational(key, code, title, *, scope_of, total, steps, own_forms, records, **content):
    base = {
        "purpose": (
            f"Quy định trình tự, trách nhiệm và thời hạn giải quyết thủ tục {scope_of} tại "
            "UBND xã, bảo đảm đúng pháp luật, công khai, đúng hẹn và thuận tiện cho người dân."
        ),
        "scope": (
            f"Áp dụng cho tổ chức, cá nhân có yêu cầu {scope_of}; công chức Bộ phận Một cửa, "
            "công chức chuyên môn và lãnh đạo UBND xã tham gia giải quyết."
        ),
        "references": [ISO, QD101, ONE_STOP],
        "definitions": COMMON_DEFINITIONS,
        "where": WHERE,
        "steps": steps,
        "forms": own_forms + ONE_STOP_FORMS,
        "records": records
        + [
            {
                "record": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
                "keeper": ONE_STOP_DESK,
                "retention": "05 năm",
            }
        ],
        "body": "",
    }
    base.update(content)
    assert sum(s["hours"] for s in steps) == total, (code, sum(s["hours"] for s in steps))
    return {
        "key": key,
        "code": code,
        "title": title,
        "kind": DocumentKind.OPERATIONAL_PROCEDURE,
        "content": base,
    }


def _civil(key, code, title, scope_of, total, task, draft, result, form, register, **content):
    content.setdefault(
        "legal_basis",
        f"{CIVIL_STATUS_LAW}; {CIVIL_STATUS_DECREE}; {CIVIL_STATUS_CIRCULAR}.",
    )
    content.setdefault(
        "references",
        [ISO, QD101, ONE_STOP, CIVIL_STATUS_LAW, CIVIL_STATUS_DECREE, CIVIL_STATUS_CIRCULAR],
    )
    return _operational(
        key,
        code,
        title,
        scope_of=scope_of,
        total=total,
        steps=_one_stop_steps(total, JUSTICE, task, draft, result),
        own_forms=[{"code": f"BM-{code[3:]}-01", "name": form}],
        records=[
            {"record": f"Hồ sơ {scope_of}", "keeper": JUSTICE, "retention": "Vĩnh viễn"},
            {"record": register, "keeper": JUSTICE, "retention": "Vĩnh viễn"},
        ],
        **content,
    )


def _certification(key, code, title, scope_of, total, fees, components, conditions, steps):
    return _operational(
        key,
        code,
        title,
        scope_of=scope_of,
        total=total,
        steps=steps,
        own_forms=[],
        records=[
            {
                "record": "Sổ chứng thực",
                "keeper": JUSTICE,
                "retention": "Vĩnh viễn" if "hợp đồng" in scope_of else "Lâu dài",
            },
        ],
        references=[ISO, QD101, ONE_STOP, CERTIFICATION_DECREE, CERTIFICATION_CIRCULAR],
        legal_basis=f"{CERTIFICATION_DECREE}; {CERTIFICATION_CIRCULAR}; {CERTIFICATION_FEES}.",
        conditions=conditions,
        dossier_components=components,
        processing_time=(
            "Trong ngày tiếp nhận; hồ sơ tiếp nhận sau 15 giờ được trả trong ngày làm việc "
            "tiếp theo."
            if total == 8
            else "Không quá 02 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ."
        ),
        fees=fees,
    )


def _doc(name, original=1, copy_=0, sets=1):
    return {"name": name, "original": original, "copy": copy_, "sets": sets}


IDENTITY = _doc("Hộ chiếu, căn cước hoặc giấy tờ tùy thân có ảnh còn giá trị (để xuất trình)")
RESIDENCE_PROOF = _doc("Giấy tờ chứng minh nơi cư trú khi thông tin chưa có trong Cơ sở dữ liệu")

OPERATIONAL_PROCEDURES = [
    _civil(
        "khai-sinh",
        "QT-TP-01",
        "Quy trình đăng ký khai sinh",
        "đăng ký khai sinh",
        8,
        "Kiểm tra giấy chứng sinh và tờ khai, ghi nội dung vào Sổ đăng ký khai sinh",
        "Dự thảo Giấy khai sinh",
        "Giấy khai sinh",
        "Tờ khai đăng ký khai sinh",
        "Sổ đăng ký khai sinh",
        conditions=(
            "Cha, mẹ hoặc người thân thích đi đăng ký khai sinh cho trẻ trong thời hạn 60 "
            "ngày kể từ ngày sinh; trẻ có giấy chứng sinh hoặc văn bản của người làm chứng."
        ),
        dossier_components=[
            _doc("Tờ khai đăng ký khai sinh theo mẫu"),
            _doc("Giấy chứng sinh hoặc văn bản xác nhận của người làm chứng"),
            _doc("Giấy chứng nhận kết hôn của cha, mẹ (nếu có, để xuất trình)"),
            IDENTITY,
        ],
        processing_time=(
            "Ngay trong ngày tiếp nhận hồ sơ hợp lệ; hồ sơ nhận sau 15 giờ trả trong ngày làm "
            "việc tiếp theo."
        ),
        fees="Miễn lệ phí đăng ký khai sinh đúng hạn.",
    ),
    _civil(
        "ket-hon",
        "QT-TP-02",
        "Quy trình đăng ký kết hôn",
        "đăng ký kết hôn",
        8,
        "Kiểm tra điều kiện kết hôn, ghi vào Sổ đăng ký kết hôn",
        "Dự thảo Giấy chứng nhận kết hôn",
        "Giấy chứng nhận kết hôn",
        "Tờ khai đăng ký kết hôn",
        "Sổ đăng ký kết hôn",
        legal_basis=(
            f"{CIVIL_STATUS_LAW}; {FAMILY_LAW}; {CIVIL_STATUS_DECREE}; {CIVIL_STATUS_CIRCULAR}."
        ),
        conditions=(
            "Nam từ đủ 20 tuổi, nữ từ đủ 18 tuổi; tự nguyện; không mất năng lực hành vi dân "
            "sự; không thuộc trường hợp cấm kết hôn. Hai bên cùng có mặt khi trao Giấy "
            "chứng nhận kết hôn."
        ),
        dossier_components=[
            _doc("Tờ khai đăng ký kết hôn theo mẫu (hai bên có thể dùng chung một tờ khai)"),
            _doc("Giấy xác nhận tình trạng hôn nhân (nếu đăng ký ở nơi không thường trú)"),
            _doc("Trích lục ghi chú ly hôn hoặc bản án, quyết định ly hôn (nếu đã ly hôn)", 0, 1),
            IDENTITY,
        ],
        processing_time=(
            "Ngay trong ngày nhận đủ giấy tờ hợp lệ; trường hợp cần xác minh điều kiện kết "
            "hôn, không quá 05 ngày làm việc."
        ),
        fees="Miễn lệ phí theo Nghị quyết của Hội đồng nhân dân tỉnh.",
    ),
    _civil(
        "khai-tu",
        "QT-TP-03",
        "Quy trình đăng ký khai tử",
        "đăng ký khai tử",
        8,
        "Kiểm tra giấy báo tử, ghi vào Sổ đăng ký khai tử",
        "Dự thảo Trích lục khai tử",
        "Trích lục khai tử",
        "Tờ khai đăng ký khai tử",
        "Sổ đăng ký khai tử",
        conditions=(
            "Người thân thích của người chết đi đăng ký khai tử trong thời hạn 15 ngày kể "
            "từ ngày có người chết; không có người thân thích thì cơ quan, tổ chức liên quan "
            "thực hiện."
        ),
        dossier_components=[
            _doc("Tờ khai đăng ký khai tử theo mẫu"),
            _doc("Giấy báo tử hoặc giấy tờ thay thế giấy báo tử"),
            IDENTITY,
        ],
        processing_time=(
            "Ngay trong ngày tiếp nhận hồ sơ hợp lệ; trường hợp cần xác minh, không quá 03 "
            "ngày làm việc."
        ),
        fees="Miễn lệ phí đăng ký khai tử đúng hạn.",
    ),
    _civil(
        "nhan-cha-me-con",
        "QT-TP-04",
        "Quy trình đăng ký nhận cha, mẹ, con",
        "đăng ký nhận cha, mẹ, con",
        24,
        "Kiểm tra chứng cứ quan hệ cha, mẹ, con; niêm yết, xác minh khi cần",
        "Dự thảo Trích lục đăng ký nhận cha, mẹ, con",
        "Trích lục đăng ký nhận cha, mẹ, con",
        "Tờ khai đăng ký nhận cha, mẹ, con",
        "Sổ đăng ký nhận cha, mẹ, con",
        legal_basis=(
            f"{CIVIL_STATUS_LAW}; {FAMILY_LAW}; {CIVIL_STATUS_DECREE}; {CIVIL_STATUS_CIRCULAR}."
        ),
        conditions=(
            "Bên nhận và bên được nhận còn sống; việc nhận không có tranh chấp; các bên có "
            "mặt khi đăng ký."
        ),
        dossier_components=[
            _doc("Tờ khai đăng ký nhận cha, mẹ, con theo mẫu"),
            _doc(
                "Văn bản của cơ quan y tế, giám định xác nhận quan hệ cha, mẹ, con hoặc chứng "
                "cứ chứng minh quan hệ"
            ),
            IDENTITY,
        ],
        processing_time=(
            "03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ; trường hợp cần xác minh, kéo "
            "dài thêm không quá 05 ngày làm việc."
        ),
        fees="Theo Nghị quyết của Hội đồng nhân dân tỉnh về lệ phí hộ tịch.",
    ),
    _civil(
        "cai-chinh-ho-tich",
        "QT-TP-05",
        "Quy trình thay đổi, cải chính, bổ sung thông tin hộ tịch",
        "thay đổi, cải chính, bổ sung thông tin hộ tịch",
        24,
        "Kiểm tra căn cứ thay đổi, cải chính; ghi vào sổ hộ tịch và Sổ đăng ký",
        "Dự thảo Trích lục thay đổi, cải chính hộ tịch",
        "Trích lục thay đổi, cải chính, bổ sung thông tin hộ tịch",
        "Tờ khai thay đổi, cải chính, bổ sung thông tin hộ tịch",
        "Sổ đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",
        conditions=(
            "Có căn cứ theo quy định: thông tin hộ tịch sai do lỗi của người đăng ký hoặc "
            "cơ quan đăng ký; người dưới 14 tuổi thay đổi họ, chữ đệm, tên theo yêu cầu của "
            "cha, mẹ; bổ sung thông tin còn thiếu."
        ),
        dossier_components=[
            _doc("Tờ khai thay đổi, cải chính, bổ sung thông tin hộ tịch theo mẫu"),
            _doc("Giấy tờ làm căn cứ cho việc thay đổi, cải chính, bổ sung", 0, 1),
            _doc("Văn bản đồng ý của người được thay đổi từ đủ 09 tuổi (nếu có)"),
            IDENTITY,
        ],
        processing_time=(
            "03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ; trường hợp cần xác minh, kéo "
            "dài thêm không quá 03 ngày làm việc."
        ),
        fees="Theo Nghị quyết của Hội đồng nhân dân tỉnh về lệ phí hộ tịch.",
    ),
    _civil(
        "xac-nhan-hon-nhan",
        "QT-TP-06",
        "Quy trình cấp Giấy xác nhận tình trạng hôn nhân",
        "cấp Giấy xác nhận tình trạng hôn nhân",
        24,
        "Kiểm tra, tra cứu dữ liệu hộ tịch; xác minh khi người yêu cầu từng cư trú nơi khác",
        "Dự thảo Giấy xác nhận tình trạng hôn nhân",
        "Giấy xác nhận tình trạng hôn nhân",
        "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
        "Sổ cấp Giấy xác nhận tình trạng hôn nhân",
        conditions=(
            "Người yêu cầu thường trú tại xã; Giấy xác nhận có giá trị 06 tháng và chỉ dùng "
            "cho mục đích đã ghi."
        ),
        dossier_components=[
            _doc("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu"),
            _doc("Bản án, quyết định ly hôn hoặc giấy chứng tử của vợ, chồng (nếu có)", 0, 1),
            IDENTITY,
        ],
        processing_time="03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.",
        fees="Theo Nghị quyết của Hội đồng nhân dân tỉnh về lệ phí hộ tịch.",
    ),
    _civil(
        "giam-ho",
        "QT-TP-07",
        "Quy trình đăng ký giám hộ",
        "đăng ký giám hộ",
        24,
        "Kiểm tra văn bản cử người giám hộ và điều kiện của người giám hộ",
        "Dự thảo Trích lục đăng ký giám hộ",
        "Trích lục đăng ký giám hộ",
        "Tờ khai đăng ký giám hộ",
        "Sổ đăng ký giám hộ",
        legal_basis=(
            f"{CIVIL_STATUS_LAW}; Bộ luật Dân sự số 91/2015/QH13; {CIVIL_STATUS_DECREE}; "
            f"{CIVIL_STATUS_CIRCULAR}."
        ),
        conditions=(
            "Người giám hộ có đủ điều kiện theo Bộ luật Dân sự; việc cử người giám hộ được "
            "lập thành văn bản."
        ),
        dossier_components=[
            _doc("Tờ khai đăng ký giám hộ theo mẫu"),
            _doc("Văn bản cử người giám hộ"),
            IDENTITY,
        ],
        processing_time="03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.",
        fees="Theo Nghị quyết của Hội đồng nhân dân tỉnh về lệ phí hộ tịch.",
    ),
    _civil(
        "trich-luc-ho-tich",
        "QT-TP-08",
        "Quy trình cấp bản sao trích lục hộ tịch",
        "cấp bản sao trích lục hộ tịch",
        8,
        "Tra cứu sổ hộ tịch, Cơ sở dữ liệu hộ tịch điện tử; in bản sao trích lục",
        "Bản sao trích lục hộ tịch",
        "Bản sao trích lục hộ tịch",
        "Tờ khai cấp bản sao trích lục hộ tịch",
        "Sổ cấp bản sao trích lục hộ tịch",
        conditions="Sự kiện hộ tịch đã được đăng ký tại UBND xã.",
        dossier_components=[
            _doc("Tờ khai cấp bản sao trích lục hộ tịch theo mẫu"),
            _doc("Văn bản ủy quyền (nếu người được ủy quyền đi yêu cầu)"),
            IDENTITY,
        ],
        processing_time=(
            "Ngay trong ngày tiếp nhận; hồ sơ nhận sau 15 giờ trả trong ngày làm việc tiếp theo."
        ),
        fees="Phí cấp bản sao trích lục hộ tịch: 8.000 đồng/bản sao trích lục.",
    ),
    _certification(
        "chung-thuc-ban-sao",
        "QT-CT-01",
        "Quy trình chứng thực bản sao từ bản chính",
        "chứng thực bản sao từ bản chính",
        8,
        (
            "2.000 đồng/trang; từ trang thứ ba trở lên 1.000 đồng/trang, tối đa không quá "
            "200.000 đồng/bản."
        ),
        [
            _doc("Bản chính giấy tờ, văn bản làm cơ sở chứng thực (để đối chiếu)"),
            _doc("Bản sao cần chứng thực (nếu người yêu cầu tự chụp)", 0, 1),
        ],
        (
            "Bản chính do cơ quan có thẩm quyền cấp, không bị tẩy xóa, sửa chữa, hư hỏng và "
            "không thuộc trường hợp bị cấm chứng thực bản sao."
        ),
        [
            _step(
                1,
                "Tiếp nhận, kiểm tra bản chính và bản sao",
                ONE_STOP_DESK,
                1,
                "BM-MC-01; BM-MC-04",
            ),
            _step(
                2,
                "Đối chiếu bản sao với bản chính, ghi lời chứng",
                JUSTICE,
                3,
                "Lời chứng theo mẫu",
            ),
            _step(3, "Ký chứng thực", LEADER, 2, "Bản sao được chứng thực"),
            _step(4, "Đóng dấu, ghi Sổ chứng thực", JUSTICE, 1, "Sổ chứng thực bản sao"),
            _step(5, "Thu phí, trả kết quả", ONE_STOP_DESK, 1, "Biên lai thu phí"),
        ],
    ),
    _certification(
        "chung-thuc-chu-ky",
        "QT-CT-02",
        "Quy trình chứng thực chữ ký",
        "chứng thực chữ ký",
        8,
        "10.000 đồng/trường hợp.",
        [
            _doc("Giấy tờ, văn bản cần chứng thực chữ ký"),
            IDENTITY,
        ],
        (
            "Người yêu cầu có đủ năng lực hành vi dân sự, ký trước mặt người thực hiện chứng "
            "thực; giấy tờ không có nội dung trái pháp luật, đạo đức xã hội."
        ),
        [
            _step(1, "Tiếp nhận, kiểm tra giấy tờ", ONE_STOP_DESK, 1, "BM-MC-01; BM-MC-04"),
            _step(
                2,
                "Kiểm tra người yêu cầu, chứng kiến việc ký, ghi lời chứng",
                JUSTICE,
                3,
                "Lời chứng theo mẫu",
            ),
            _step(3, "Ký chứng thực", LEADER, 2, "Giấy tờ được chứng thực chữ ký"),
            _step(4, "Đóng dấu, ghi Sổ chứng thực", JUSTICE, 1, "Sổ chứng thực chữ ký"),
            _step(5, "Thu phí, trả kết quả", ONE_STOP_DESK, 1, "Biên lai thu phí"),
        ],
    ),
    _certification(
        "chung-thuc-hop-dong",
        "QT-CT-03",
        "Quy trình chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",
        "chứng thực hợp đồng, giao dịch",
        16,
        "50.000 đồng/hợp đồng, giao dịch; sửa đổi, bổ sung: 30.000 đồng/hợp đồng, giao dịch.",
        [
            _doc("Dự thảo hợp đồng, giao dịch"),
            _doc("Giấy tờ chứng minh quyền sở hữu, quyền sử dụng tài sản", 0, 1),
            IDENTITY,
        ],
        (
            "Các bên có đủ năng lực hành vi dân sự, tự nguyện giao kết và cùng ký trước mặt "
            "người thực hiện chứng thực; tài sản không bị kê biên, tranh chấp."
        ),
        [
            _step(1, "Tiếp nhận, kiểm tra hồ sơ", ONE_STOP_DESK, 2, "BM-MC-01; BM-MC-04"),
            _step(2, "Chuyển hồ sơ cho công chức Tư pháp - Hộ tịch", ONE_STOP_DESK, 1, "BM-MC-04"),
            _step(
                3,
                "Kiểm tra năng lực, ý chí của các bên và tài sản; các bên ký hợp đồng",
                JUSTICE,
                8,
                "Lời chứng theo mẫu",
            ),
            _step(4, "Ký chứng thực", LEADER, 2, "Hợp đồng được chứng thực"),
            _step(5, "Đóng dấu, ghi Sổ chứng thực", JUSTICE, 2, "Sổ chứng thực hợp đồng"),
            _step(6, "Thu phí, trả kết quả", ONE_STOP_DESK, 1, "Biên lai thu phí"),
        ],
    ),
    _operational(
        "thuong-tru",
        "QT-CA-01",
        "Quy trình đăng ký thường trú",
        scope_of="đăng ký thường trú",
        total=56,
        steps=[
            _step(1, "Tiếp nhận, kiểm tra hồ sơ", ONE_STOP_DESK, 4, "BM-MC-01; BM-MC-04"),
            _step(2, "Chuyển hồ sơ cho Công an xã", ONE_STOP_DESK, 4, "BM-MC-04"),
            _step(
                3,
                "Thẩm định hồ sơ, xác minh chỗ ở hợp pháp khi cần",
                "Cán bộ đăng ký cư trú, Công an xã",
                32,
                "Phiếu đề xuất giải quyết",
            ),
            _step(4, "Phê duyệt", "Trưởng Công an xã", 8, "Hồ sơ đã phê duyệt"),
            _step(
                5,
                "Cập nhật thông tin vào Cơ sở dữ liệu về cư trú",
                "Cán bộ đăng ký cư trú, Công an xã",
                6,
                "Thông báo kết quả giải quyết",
            ),
            _step(6, "Trả kết quả", ONE_STOP_DESK, 2, "Thông báo kết quả; BM-MC-04"),
        ],
        own_forms=[{"code": "BM-CA01-01", "name": "Tờ khai thay đổi thông tin cư trú"}],
        records=[
            {
                "record": "Hồ sơ đăng ký thường trú",
                "keeper": POLICE,
                "retention": "Theo quy định của Bộ Công an",
            }
        ],
        references=[ISO, QD101, ONE_STOP, RESIDENCE_LAW],
        legal_basis=f"{RESIDENCE_LAW}.",
        conditions=(
            "Công dân có chỗ ở hợp pháp thuộc quyền sở hữu của mình, hoặc được chủ hộ, chủ sở "
            "hữu chỗ ở đồng ý cho đăng ký thường trú; bảo đảm điều kiện diện tích nhà ở tối "
            "thiểu khi đăng ký vào chỗ ở thuê, mượn, ở nhờ."
        ),
        dossier_components=[
            _doc("Tờ khai thay đổi thông tin cư trú"),
            _doc("Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp", 0, 1),
            _doc("Văn bản đồng ý của chủ hộ, chủ sở hữu chỗ ở (nếu có)"),
        ],
        processing_time="07 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.",
        fees="Lệ phí đăng ký cư trú theo Nghị quyết của Hội đồng nhân dân tỉnh.",
        body=(
            "Thủ tục thuộc thẩm quyền của Công an xã, được tiếp nhận tại Bộ phận Một cửa "
            "hoặc trực tuyến; UBND xã phối hợp cung cấp thông tin khi được đề nghị."
        ),
    ),
]

DEFAULT_TEMPLATES = SYSTEM_PROCEDURES + OPERATIONAL_PROCEDURES


def default_templates() -> list[dict]:
    """A fresh copy of the default templates: {key, code, title, kind, content}."""
    return copy.deepcopy(DEFAULT_TEMPLATES)


def framework_code(publisher_unit) -> str:
    return f"MHK-{publisher_unit.code}"


def load_default_framework(publisher_unit, actor=None) -> FrameworkVersion:
    """The DoST's default framework, created and published once (idempotent): returns
    its newest published version."""
    from .selectors import framework as selectors
    from .services import framework as services

    with transaction.atomic():
        framework = Framework.objects.filter(code=framework_code(publisher_unit)).first()
        if framework is not None:
            published = selectors.latest_published(framework)
            if published is not None:
                return published
        else:
            framework = services.create_framework(
                actor,
                publisher=publisher_unit,
                code=framework_code(publisher_unit),
                title=FRAMEWORK_TITLE,
                note=FRAMEWORK_NOTE,
            )
        version = selectors.draft_version(framework) or services.create_draft_version(
            actor, framework, note=FRAMEWORK_NOTE
        )
        existing = set(version.templates.values_list("key", flat=True))
        for template in default_templates():
            if template["key"] not in existing:
                services.add_template(actor, version, **template)
        return services.publish_version(actor, version, note=FRAMEWORK_NOTE)

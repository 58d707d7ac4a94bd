"""The built-in global import profile: the national public service portal's
export (Cổng Dịch vụ công quốc gia), status codes 1-10 (DOMAIN.md)."""

NATIONAL_PORTAL = "Cổng Dịch vụ công quốc gia"

NATIONAL_PORTAL_MAPPING = {
    "code": "Mã hồ sơ",
    "unit_code": "Mã đơn vị",
    "procedure_code": "Mã TTHC",
    "channel": "Kênh nộp",
    "received_at": "Ngày tiếp nhận",
    "due_at": "Ngày hẹn trả",
    "kind": "Trạng thái",
    "at": "Thời điểm",
    "step": "Bước xử lý",
    "actor": "Người xử lý",
    "event_division": "Phòng ban",
    "new_due_at": "Ngày hẹn mới",
}

# Status code -> event kind. 1 "newly registered online" also sets the channel;
# 4 "in process" right after 5 "supplement requested" is read as the supplement
# received (the pipeline does that for every profile with a kind map).
NATIONAL_PORTAL_VALUES = {
    "kind": {
        "1": "received",
        "2": "received",
        "3": "returned",
        "4": "transferred",
        "5": "supplement_requested",
        "6": "payment_requested",
        "7": "withdrawn",
        "8": "stopped",
        "9": "resolved",
        "10": "delivered",
    },
    "_implies": {"kind": {"1": {"channel": "online"}}},
}

PORTAL_STATUS_LABELS = {
    1: "Mới đăng ký trực tuyến",
    2: "Đã tiếp nhận",
    3: "Từ chối",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính",
    7: "Công dân yêu cầu rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}


def ensure_builtin_profiles(ImportProfile):
    ImportProfile.objects.update_or_create(
        name=NATIONAL_PORTAL,
        unit=None,
        defaults={
            "format": "csv",
            "mapping": NATIONAL_PORTAL_MAPPING,
            "value_maps": NATIONAL_PORTAL_VALUES,
            "builtin": True,
        },
    )

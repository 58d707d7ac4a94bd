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


# ---------------------------------------------------------------- editing profiles
# What the profile pages offer (services/profiles.py validates against these).

# Target fields a column may feed, in the order the form shows them. Their names
# are those of `imports.pipeline.FIELDS` (kept in step by tests/dossiers/test_profiles.py).
DOSSIER_TARGETS = (
    "code",
    "unit_code",
    "procedure_code",
    "channel",
    "received_at",
    "due_at",
    "resolved_at",
    "delivered_at",
    "status",
    "division",
)
EVENT_TARGETS = ("kind", "at", "step", "actor", "event_division", "new_due_at")
TARGETS = DOSSIER_TARGETS + EVENT_TARGETS
# Without these columns no dossier can be imported.
REQUIRED_TARGETS = ("code", "received_at")
# Targets whose values a profile may translate (value in the file -> our value).
VALUE_MAP_TARGETS = ("kind", "status", "channel")

# The order of day and month in dates written as text (ISO 8601 is always read).
# Stored in `value_maps["_date_format"]`; "dmy" is what Vietnamese exports write.
DATE_FORMAT_KEY = "_date_format"
DATE_FORMATS = ("dmy",)
DEFAULT_DATE_FORMAT = "dmy"


def target_label(name: str) -> str:
    from django.utils.translation import gettext as _
    from django.utils.translation import pgettext

    labels = {
        "code": _("Dossier code"),
        "unit_code": _("Agency code"),
        "procedure_code": _("TTHC code"),
        "channel": _("Channel"),
        "received_at": pgettext("date of a dossier", "Received"),
        "due_at": _("Due date"),
        "resolved_at": pgettext("date of a dossier", "Resolved"),
        "delivered_at": _("Result delivered"),
        "status": _("Dossier status"),
        "division": _("Dossier's division"),
        "kind": _("Event kind or status code"),
        "at": _("Event time"),
        "step": _("Step"),
        "actor": _("Handled by"),
        "event_division": _("Event's division"),
        "new_due_at": _("New date promised"),
    }
    return str(labels.get(name, name))


def date_format_label(code: str) -> str:
    from django.utils.translation import gettext as _

    labels = {
        "dmy": _("DD/MM/YYYY HH:MM (ISO 8601 YYYY-MM-DD HH:MM also read)"),
        "mdy": _("MM/DD/YYYY HH:MM (ISO 8601 YYYY-MM-DD HH:MM also read)"),
    }
    return str(labels.get(code, code))

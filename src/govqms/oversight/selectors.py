"""Every read of the oversight app, already filtered to what the user may see.

Announcement status is computed in batch for a set of agencies (a handful of queries
whatever their number), so that the public page and the DoST console hold for a
province of 200 agencies."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govqms.organizations import selectors as org
from govqms.organizations.models import ChangeKind, Role, Unit, UnitChange

from .models import ConformityAnnouncement

MANAGING_ROLES = {Role.HEAD, Role.ISO_SECRETARY}

CURRENT = "current"
NEEDED = "needed"
NONE = "none"


@dataclass
class AnnouncementStatus:
    """Where an agency stands on its conformity announcement.

    `status`: "current", "needed" (re-announcement needed) or "none" (never
    announced); `reasons`: [{label, url, public}] (public: may be shown to citizens)."""

    unit_id: int
    status: str
    current: ConformityAnnouncement | None = None
    reasons: list = field(default_factory=list)

    @property
    def is_current(self) -> bool:
        return self.status == CURRENT

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def public_reasons(self) -> list[str]:
        return sorted({r["public"] for r in self.reasons if r.get("public")})


def _status_labels():
    from django.utils.translation import gettext_lazy

    return {
        CURRENT: gettext_lazy("Current"),
        NEEDED: gettext_lazy("Re-announcement needed"),
        NONE: gettext_lazy("Not announced"),
    }


STATUS_LABELS = _status_labels()


def _latest_announcements(unit_ids) -> dict[int, ConformityAnnouncement]:
    latest: dict[int, ConformityAnnouncement] = {}
    for ann in ConformityAnnouncement.objects.filter(unit_id__in=unit_ids).order_by(
        "unit_id", "-decision_date", "-pk"
    ):
        latest.setdefault(ann.unit_id, ann)
    return latest


def announcement_statuses(units, *, with_links: bool = True) -> dict[int, AnnouncementStatus]:
    """The announcement status of each agency of `units` (a queryset or list), in three
    queries. Callers have checked the user may see these agencies (or show only the
    public parts)."""
    unit_ids = (
        [u.pk for u in units]
        if isinstance(units, list)
        else list(units.values_list("pk", flat=True))
    )
    latest = _latest_announcements(unit_ids)
    reasons: dict[int, list] = {uid: [] for uid in unit_ids}

    # Scope changes: a TTHC assigned or withdrawn after the current announcement's date.
    latest_date = (
        ConformityAnnouncement.objects.filter(unit_id=OuterRef("unit_id"))
        .order_by("-decision_date", "-pk")
        .values("decision_date")[:1]
    )
    from govqms.procedures.models import Assignment

    changed = (
        Assignment.objects.filter(unit_id__in=unit_ids, in_scope=True)
        .annotate(announced=Subquery(latest_date))
        .filter(announced__isnull=False)
        .filter(Q(assigned_on__gt=F("announced")) | Q(ended_on__gt=F("announced")))
        .select_related("procedure")
        .order_by("unit_id", "procedure__code")
    )
    for a in changed:
        if a.ended_on and a.ended_on > a.announced:
            label = _("%(code)s withdrawn on %(date)s, after the announcement") % {
                "code": a.procedure.code,
                "date": a.ended_on.strftime("%d/%m/%Y"),
            }
        else:
            label = _("%(code)s assigned on %(date)s, after the announcement") % {
                "code": a.procedure.code,
                "date": a.assigned_on.strftime("%d/%m/%Y"),
            }
        reasons[a.unit_id].append(
            {
                "kind": "scope",
                "label": label,
                "url": reverse("agency_procedures", args=[a.unit_id]) if with_links else "",
                "public": _("its scope of administrative procedures changed"),
            }
        )

    # Restructurings: the agency was created by a merger or a split.
    for kind, date, to_unit in (
        UnitChange.objects.filter(
            kind__in=[ChangeKind.MERGE, ChangeKind.SPLIT], to_units__in=unit_ids
        )
        .values_list("kind", "date", "to_units")
        .order_by("date")
    ):
        ann = latest.get(to_unit)
        if ann is not None and ann.decision_date >= date:
            continue
        text = (
            _("Created by a merger on %(date)s")
            if kind == ChangeKind.MERGE
            else _("Created by a split on %(date)s")
        )
        reasons[to_unit].append(
            {
                "kind": "restructuring",
                "label": text % {"date": date.strftime("%d/%m/%Y")},
                "url": reverse("agency_detail", args=[to_unit]) if with_links else "",
                "public": _("it was created by a merger or a split"),
            }
        )

    statuses = {}
    for uid in unit_ids:
        ann = latest.get(uid)
        if ann is None:
            status = NONE
        elif reasons[uid]:
            status = NEEDED
        else:
            status = CURRENT
        statuses[uid] = AnnouncementStatus(uid, status, ann, reasons[uid])
    return statuses


def announcement_status(unit: Unit) -> AnnouncementStatus:
    return announcement_statuses([unit])[unit.pk]


# ---------------------------------------------------------------- an agency's announcements


def can_manage_announcements(user, unit: Unit) -> bool:
    return bool(org.roles_in(user, unit) & MANAGING_ROLES)


def agency_announcements(user, unit: Unit) -> QuerySet[ConformityAnnouncement]:
    """An agency's announcements, newest first (callers obtain `unit` through
    `get_internal_unit`)."""
    if not org.can_view_internal(user, unit):
        return ConformityAnnouncement.objects.none()
    return (
        ConformityAnnouncement.objects.filter(unit=unit)
        .select_related("recorded_by")
        .prefetch_related("procedures")
        .order_by("-decision_date", "-pk")
    )


def get_announcement(user, unit: Unit, pk) -> ConformityAnnouncement:
    try:
        return agency_announcements(user, unit).get(pk=pk)
    except (ConformityAnnouncement.DoesNotExist, ValueError, TypeError):
        raise Http404("No such announcement.") from None


def scope_procedures(user, unit: Unit):
    """The TTHC an announcement may list: the agency's open in-scope assignments."""
    from govqms.procedures.models import AdministrativeProcedure, Assignment

    if not org.can_view_internal(user, unit):
        return AdministrativeProcedure.objects.none()
    return AdministrativeProcedure.objects.filter(
        pk__in=Assignment.objects.filter(unit=unit, ended_on=None, in_scope=True).values(
            "procedure_id"
        )
    ).order_by("code")


# ---------------------------------------------------------------- public page


def public_provinces() -> list[str]:
    return sorted(
        set(
            Unit.objects.active_on()
            .filter(in_dost_remit=True)
            .values_list("province", flat=True)
            .distinct()
        )
    )


@dataclass
class PublicRow:
    """What a citizen sees of an agency's announcement: no people, no internal records."""

    name: str
    kind_label: str
    status: str
    status_label: str
    decision_number: str = ""
    decision_date: dt.date | None = None
    posted_url: str = ""
    reasons: list = field(default_factory=list)


def public_announcement_rows(
    province: str, *, query: str | None = None, status: str | None = None
) -> list[PublicRow]:
    """Every agency of a province in the DoST's remit with its announcement status."""
    from govqms.portal.selectors import public_agencies

    units = list(
        public_agencies(query)
        .filter(province=province)
        .select_related(None)
        .only("pk", "name", "kind", "path")
    )
    statuses = announcement_statuses(units, with_links=False)
    rows = []
    for unit in units:
        st = statuses[unit.pk]
        if status and st.status != status:
            continue
        ann = st.current
        rows.append(
            PublicRow(
                name=unit.name,
                kind_label=unit.get_kind_display(),
                status=st.status,
                status_label=st.label,
                decision_number=ann.decision_number if ann else "",
                decision_date=ann.decision_date if ann else None,
                posted_url=ann.posted_url if ann else "",
                reasons=st.public_reasons,
            )
        )
    return rows


def today() -> dt.date:
    return timezone.localdate()


# ---------------------------------------------------------------- formalism signals


@dataclass
class SignalRow:
    unit: Unit
    signals: list  # [signals.UnitSignal]
    announcement: AnnouncementStatus | None = None

    @property
    def count(self) -> int:
        return len(self.signals)

    @property
    def evidence_count(self) -> int:
        return sum(len(s.evidence) for s in self.signals)


def subtree_signals(
    user,
    year: int,
    *,
    query: str | None = None,
    signal: str | None = None,
    sort: str = "count",
) -> list[SignalRow]:
    """The DoST console: every active agency of the user's subtree (in its remit) with
    its signals of `year`. A few queries per signal for the whole subtree."""
    from . import signals as registry

    units = list(
        org.supervised_units(user, in_remit=True, query=query)
        .select_related(None)
        .only("pk", "name", "code", "kind", "path")
    )
    found = registry.compute([u.pk for u in units], year, keys=[signal] if signal else None)
    statuses = announcement_statuses(units)
    rows = [SignalRow(u, found.get(u.pk, []), statuses.get(u.pk)) for u in units]
    if signal:
        rows = [r for r in rows if r.signals]
    if sort == "name":
        rows.sort(key=lambda r: r.unit.name)
    else:
        rows.sort(key=lambda r: (-r.count, -r.evidence_count, r.unit.name))
    return rows


def unit_signals(user, unit: Unit, year: int) -> list:
    """An agency's own signals (callers obtain `unit` through `get_internal_unit`)."""
    from . import signals as registry

    if not org.can_view_internal(user, unit):
        return []
    return registry.compute([unit.pk], year)[unit.pk]


def top_signal_agencies(user, year: int, *, limit: int = 8) -> dict:
    """The DoST home panel: agencies of the subtree with the most signals."""
    rows = subtree_signals(user, year)
    flagged = [r for r in rows if r.count]
    return {
        "rows": flagged[:limit],
        "agencies": len(flagged),
        "total": len(rows),
        "year": year,
        "reannounce": sum(1 for r in rows if r.announcement and r.announcement.status == NEEDED),
        "unannounced": sum(1 for r in rows if r.announcement and r.announcement.status == NONE),
    }


def agency_lifecycle(user, unit: Unit, year: int | None = None):
    """The four steps of an agency (callers obtain `unit` through `get_internal_unit`)."""
    from .lifecycle import lifecycle

    if not org.can_view_internal(user, unit):
        raise Http404("No such agency.")
    return lifecycle(unit, year)


def parse_year(value, default: int | None = None) -> int:
    default = default or timezone.localdate().year
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if 2000 <= year <= 2100 else default

"""Public reads: only what any citizen may see (names, kinds and status of agencies;
a dossier's public status by its exact code)."""

from dataclasses import dataclass, field

from govqms.organizations.models import Unit

# Event kinds a citizen sees as steps done (hand-offs and results; never actors,
# divisions or notes).
PUBLIC_STEP_KINDS = (
    "received",
    "transferred",
    "supplement_requested",
    "supplement_received",
    "payment_requested",
    "resolved",
    "delivered",
    "returned",
    "withdrawn",
    "stopped",
)


def public_agencies(query: str | None = None):
    return (
        Unit.objects.active_on()
        .filter(in_dost_remit=True)
        .search(query)
        .select_related("parent")
        .order_by("path")
    )


@dataclass
class PublicDossier:
    """What a citizen may see of a dossier: nothing personal."""

    code: str
    procedure_code: str
    procedure_name: str
    agency: str
    received_at: object
    due_at: object
    status: str
    status_label: str
    outcome_label: str
    steps: list = field(default_factory=list)  # [(label, time)]


def lookup_dossiers(code: str) -> list[PublicDossier]:
    """Dossiers whose code is exactly `code` (codes are unique per agency, so a code
    may name dossiers of several agencies). No partial, case-folded or fuzzy match:
    nothing tells whether a code exists in another form."""
    from govqms.dossiers.models import Dossier, DossierEvent, DossierStatus, EventKind, Outcome

    code = (code or "").strip()
    if not code or len(code) > 100:
        return []
    dossiers = list(
        Dossier.objects.filter(code=code)
        .select_related("unit", "procedure")
        .only(
            "pk",
            "code",
            "procedure_code",
            "procedure__code",
            "procedure__name",
            "unit__name",
            "received_at",
            "due_at",
            "status",
            "outcome",
        )[:5]
    )
    dossiers = [d for d in dossiers if d.code == code]  # exact, even on a case-blind collation
    events: dict[int, list] = {d.pk: [] for d in dossiers}
    kinds = dict(EventKind.choices)
    for dossier_id, kind, step, at in (
        DossierEvent.objects.filter(dossier_id__in=list(events), kind__in=PUBLIC_STEP_KINDS)
        .order_by("dossier_id", "at", "seq")
        .values_list("dossier_id", "kind", "step", "at")
    ):
        events[dossier_id].append((step or str(kinds.get(kind, kind)), at))
    statuses = dict(DossierStatus.choices)
    outcomes = dict(Outcome.choices)
    return [
        PublicDossier(
            code=d.code,
            procedure_code=d.procedure.code if d.procedure_id else d.procedure_code,
            procedure_name=d.procedure.name if d.procedure_id else "",
            agency=d.unit.name,
            received_at=d.received_at,
            due_at=d.due_at,
            status=d.status,
            status_label=str(statuses.get(d.status, d.status)),
            outcome_label=str(outcomes.get(d.outcome, "")) if d.outcome else "",
            steps=events[d.pk],
        )
        for d in dossiers
    ]

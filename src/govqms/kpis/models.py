"""Service KPIs of dossiers (ISO 9001:2015, 9.1): per-dossier facts and daily rollups.

Dashboards read the rollups only, never the dossiers or their events (DESIGN.md,
"Scale"). The chain, refreshed after each import by `services.after_import`:

    Dossier + its events  ->  DossierFact (one row per dossier: the days it counts
    on, its working time, conformance and path)  ->  DailyRollup / StepRollup /
    VariantRollup (per agency, TTHC, day)  ->  MonthlyRollup (per agency and TTHC,
    plus one total row per agency: what the DoST dashboard reads).

"Open overdue at the end of a day" is kept as two flows so that a dossier only
touches the cells of its own days: `overdue_in` counts dossiers that became
overdue that day (their due day), `overdue_out` those that stopped being overdue
(resolved late that day); the open overdue count at the end of day D is the sum of
`overdue_in - overdue_out` over the days up to D.

Working time is summed and counted into buckets of working hours (`BUCKET_EDGES`),
so medians and 90th percentiles are estimated from rollups to within a bucket."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from govqms.organizations.models import Unit

# Lower edges of the working-hour buckets (8 working hours = 1 working day); the
# last bucket is open-ended.
BUCKET_EDGES = (0, 2, 4, 8, 16, 24, 40, 56, 80, 120, 160, 240, 320, 480, 720)
BUCKETS = [f"b{i}" for i in range(len(BUCKET_EDGES))]


def bucket_of(hours: float) -> int:
    index = 0
    for i, edge in enumerate(BUCKET_EDGES):
        if hours >= edge:
            index = i
    return index


class AgencyProcedureCell(models.Model):
    """The figures of one agency and one TTHC (None: a code not in the catalogue)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey(
        "procedures.AdministrativeProcedure",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        abstract = True


class DossierFact(AgencyProcedureCell):
    """What one dossier contributes to the rollups (derived, rebuilt on each import).
    The previous row tells which cells a re-imported dossier leaves."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", primary_key=True, on_delete=models.CASCADE, related_name="kpi_fact"
    )
    received_day = models.DateField()
    resolved_day = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=10, blank=True)
    hours = models.FloatField(null=True, blank=True)
    bucket = models.PositiveSmallIntegerField(null=True, blank=True)
    overdue_from = models.DateField(null=True, blank=True)
    overdue_to = models.DateField(null=True, blank=True)
    # None: no documented steps to compare with (or not resolved yet).
    conformant = models.BooleanField(null=True, blank=True)
    within_allotment = models.BooleanField(null=True, blank=True)
    path = models.CharField(max_length=500, blank=True)
    path_key = models.CharField(max_length=40, blank=True)
    # [[step label, working hours, on time], ...] of the steps matched to an allotment
    steps = models.JSONField(default=list, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["unit", "received_day"], name="kpifact_received"),
            models.Index(fields=["unit", "resolved_day"], name="kpifact_resolved"),
            models.Index(fields=["unit", "overdue_from"], name="kpifact_overdue_from"),
            models.Index(fields=["unit", "overdue_to"], name="kpifact_overdue_to"),
        ]

    def __str__(self):
        return f"{self.dossier_id}"


class Counters(models.Model):
    received = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    early = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    overdue_in = models.PositiveIntegerField(default=0)
    overdue_out = models.PositiveIntegerField(default=0)
    hours_count = models.PositiveIntegerField(default=0)
    hours_sum = models.FloatField(default=0)
    conform_checked = models.PositiveIntegerField(default=0)
    conformant = models.PositiveIntegerField(default=0)
    allot_checked = models.PositiveIntegerField(default=0)
    within_allotment = models.PositiveIntegerField(default=0)
    b0 = models.PositiveIntegerField(default=0)
    b1 = models.PositiveIntegerField(default=0)
    b2 = models.PositiveIntegerField(default=0)
    b3 = models.PositiveIntegerField(default=0)
    b4 = models.PositiveIntegerField(default=0)
    b5 = models.PositiveIntegerField(default=0)
    b6 = models.PositiveIntegerField(default=0)
    b7 = models.PositiveIntegerField(default=0)
    b8 = models.PositiveIntegerField(default=0)
    b9 = models.PositiveIntegerField(default=0)
    b10 = models.PositiveIntegerField(default=0)
    b11 = models.PositiveIntegerField(default=0)
    b12 = models.PositiveIntegerField(default=0)
    b13 = models.PositiveIntegerField(default=0)
    b14 = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


COUNTERS = [
    "received",
    "resolved",
    "early",
    "on_time",
    "late",
    "overdue_in",
    "overdue_out",
    "hours_count",
    "hours_sum",
    "conform_checked",
    "conformant",
    "allot_checked",
    "within_allotment",
    *BUCKETS,
]


class DailyRollup(AgencyProcedureCell, Counters):
    """One agency, one TTHC (None: not in the catalogue), one day."""

    day = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["unit", "day"], name="kpiday_unit_day")]

    def __str__(self):
        return f"{self.unit_id} {self.procedure_id} {self.day}"


class MonthlyRollup(AgencyProcedureCell, Counters):
    """The daily rollups of a month; `total` rows sum every TTHC of the agency."""

    month = models.DateField(help_text="First day of the month.")
    total = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["total", "month", "unit"], name="kpimonth_total"),
            models.Index(fields=["unit", "total", "month"], name="kpimonth_unit"),
        ]

    def __str__(self):
        return f"{self.unit_id} {self.procedure_id} {self.month:%Y-%m}"


class AgencyMonthlyRollup(Counters):
    """An agency's month over every TTHC: the small table the DoST dashboard reads
    (200 agencies × 24 months = 4,800 rows for a province's two years)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="First day of the month.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="one_agency_month_rollup")
        ]

    def __str__(self):
        return f"{self.unit_id} {self.month:%Y-%m}"


class StepRollup(AgencyProcedureCell):
    """The steps of the dossiers resolved on a day, against their allotments."""

    day = models.DateField()
    step = models.CharField(max_length=200)
    count = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    hours_sum = models.FloatField(default=0)

    class Meta:
        indexes = [models.Index(fields=["unit", "day"], name="kpistep_unit_day")]

    def __str__(self):
        return f"{self.unit_id} {self.day} {self.step}"


class VariantRollup(AgencyProcedureCell):
    """How many dossiers resolved on a day took each path through the steps."""

    day = models.DateField()
    path_key = models.CharField(max_length=40)
    path = models.CharField(_("path"), max_length=500)
    conformant = models.BooleanField(null=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["unit", "day"], name="kpivariant_unit_day")]

    def __str__(self):
        return f"{self.unit_id} {self.day} {self.path}"

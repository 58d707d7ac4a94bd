"""Management review inputs (9.3.2) held by internal audit: the audit results of the
period, and the findings graded opportunity for improvement."""

from collections import Counter, defaultdict

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from govqms.reviews.inputs import Section, register

from . import selectors
from .models import Finding, Grade


@register("audit_results")
def audit_results(unit, start, end) -> Section:
    plans = selectors.audits_in_period(unit, start, end)
    by_plan: dict[int, dict[str, int]] = defaultdict(dict)
    counts: Counter[str] = Counter()
    for plan_id, g, n in (
        Finding.objects.filter(plan__in=plans)
        .values_list("plan_id", "grade")
        .annotate(n=Count("pk"))
    ):
        by_plan[plan_id][g] = n
        counts[g] += n
    rows, links = [], []
    for plan in plans:
        per = by_plan[plan.pk]
        end_day = timezone.localtime(plan.actual_end or plan.planned_end)
        rows.append([plan.title, f"{end_day:%d/%m/%Y}", *(per.get(g.value, 0) for g in Grade)])
        links.append({"label": plan.title, "url": reverse("audit_plan_detail", args=[plan.pk])})
    if plans:
        summary = _(
            "%(n)s internal audit(s) completed: %(major)s major and %(minor)s minor "
            "nonconformities, %(obs)s observations, %(ofi)s opportunities for improvement."
        ) % {
            "n": len(plans),
            "major": counts.get(Grade.MAJOR, 0),
            "minor": counts.get(Grade.MINOR, 0),
            "obs": counts.get(Grade.OBSERVATION, 0),
            "ofi": counts.get(Grade.OFI, 0),
        }
    else:
        summary = _("No internal audit was completed in the period.")
    return Section(
        summary=summary,
        columns=[_("Audit"), pgettext("audit", "Ended"), *(str(g.label) for g in Grade)],
        rows=rows,
        links=links,
        figures={
            "audits": len(plans),
            **{f"findings_{g.value}": counts.get(g.value, 0) for g in Grade},
        },
    )


@register("improvement_opportunities")
def audit_opportunities(unit, start, end) -> Section:
    plans = selectors.audits_in_period(unit, start, end)
    ofis = (
        Finding.objects.filter(plan__in=plans, grade=Grade.OFI)
        .select_related("plan", "process")
        .order_by("plan__planned_start", "pk")
    )
    rows, links = [], []
    for f in ofis:
        rows.append([f.description, f.clause, str(f.process or ""), f.plan.title])
        links.append(
            {
                "label": f.description[:80],
                "url": reverse("audit_plan_detail", args=[f.plan_id]) + f"#finding-{f.pk}",
            }
        )
    return Section(
        summary=ngettext(
            "%(n)s opportunity for improvement from internal audits.",
            "%(n)s opportunities for improvement from internal audits.",
            len(rows),
        )
        % {"n": len(rows)},
        columns=[_("Opportunity for improvement"), _("Clause"), _("Process"), _("Audit")],
        rows=rows,
        links=links,
        figures={"audit_ofi": len(rows)},
    )

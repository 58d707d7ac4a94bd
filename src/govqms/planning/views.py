"""Pages of the policy and objectives, the risk register and the yearly plan: thin
views over `selectors` (reads) and `services` (writes)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from govqms.core.pages import add_service_errors as _form_errors
from govqms.kpis.exports import table_response
from govqms.organizations import selectors as org

from . import selectors, services
from .forms import MeasurementForm, ObjectiveForm, PlanItemForm, PolicyForm, RiskForm
from .models import (
    Band,
    Effectiveness,
    PlanKind,
    PlanStatus,
    RiskKind,
    Source,
)


def _unit(request, unit_pk, what):
    return org.get_internal_unit(request.user, unit_pk, what=what)


def _writer(request, unit):
    if not selectors.can_write(request.user, unit):
        raise PermissionDenied


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _query_string(request, drop=("page",)) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k not in drop and v])


def _base(request, unit, **extra):
    return {
        "unit": unit,
        "can_write": selectors.can_write(request.user, unit),
        "can_measure": selectors.can_measure(request.user, unit),
        "is_overseer": not org.is_member_of(request.user, unit),
        **extra,
    }


# ---------------------------------------------------------------- objectives


@login_required
def objectives(request, unit_pk):
    unit = _unit(request, unit_pk, "quality policy and objectives")
    year = _year(request)
    link, version = selectors.policy(unit, year)
    rows = selectors.objectives(unit, year, request.GET.get("q"))
    never = set(selectors.objectives_never_measured(unit, year).values_list("pk", flat=True))
    context = _base(
        request,
        unit,
        year=year,
        years=selectors.years(unit),
        policy=link,
        policy_version=version,
        policy_form=PolicyForm(unit=unit, initial={"document": link and link.document_id}),
        objectives=rows,
        never_measured=never,
        q=request.GET.get("q", ""),
    )
    return render(request, "planning/objectives.html", context)


@login_required
@require_POST
def policy_set(request, unit_pk):
    unit = _unit(request, unit_pk, "quality policy")
    _writer(request, unit)
    year = _year(request)
    form = PolicyForm(request.POST, unit=unit)
    if form.is_valid():
        try:
            services.set_policy(request.user, unit, year, form.cleaned_data["document"])
            messages.success(request, _("Saved."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose a quality policy of this agency."))
    return redirect(reverse("planning_objectives", args=[unit.pk]) + f"?year={year}")


def _objective_form(request, unit, objective=None):
    _writer(request, unit)
    initial = {"year": _year(request)} if objective is None else None
    form = ObjectiveForm(
        request.POST or None,
        unit=unit,
        instance=objective and selectors.get_objective(unit, objective.pk),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        procedures = data.pop("procedures", None)
        try:
            saved = services.save_objective(
                request.user,
                unit,
                data,
                objective=objective,
                procedures=procedures,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("planning_objective", unit.pk, saved.pk)
    return render(
        request,
        "planning/objective_form.html",
        _base(request, unit, form=form, objective=objective),
    )


@login_required
def objective_create(request, unit_pk):
    unit = _unit(request, unit_pk, "quality objectives")
    return _objective_form(request, unit)


@login_required
def objective_edit(request, unit_pk, pk):
    unit = _unit(request, unit_pk, "quality objectives")
    return _objective_form(request, unit, selectors.get_objective(unit, pk))


@login_required
def objective_detail(request, unit_pk, pk):
    unit = _unit(request, unit_pk, "quality objectives")
    objective = selectors.get_objective(unit, pk)
    rows = list(selectors.measurements(objective))
    chart = {
        "dates": [m.measured_on.strftime("%d/%m/%Y") for m in rows],
        "values": [float(m.value) for m in rows],
        "targets": [float(m.target) for m in rows],
        "statuses": [m.status for m in rows],
        "unit": objective.measure_unit,
    }
    return render(
        request,
        "planning/objective_detail.html",
        _base(
            request,
            unit,
            objective=objective,
            measurements=rows[::-1],
            chart=chart,
            form=MeasurementForm(initial={"measured_on": timezone.localdate()}),
            linked=objective.source == Source.LINKED,
            procedures=list(objective.procedures.all()),
        ),
    )


@login_required
@require_POST
def objective_measure(request, unit_pk, pk):
    unit = _unit(request, unit_pk, "quality objectives")
    if not selectors.can_measure(request.user, unit):
        raise PermissionDenied
    objective = selectors.get_objective(unit, pk)
    form = MeasurementForm(request.POST)
    if form.is_valid():
        try:
            services.record_measurement(
                request.user,
                objective,
                value=form.cleaned_data["value"],
                measured_on=form.cleaned_data["measured_on"],
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, _("Measurement recorded."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Enter the date and the value of the measurement."))
    return redirect("planning_objective", unit.pk, objective.pk)


@login_required
@require_POST
def objective_measure_now(request, unit_pk, pk):
    unit = _unit(request, unit_pk, "quality objectives")
    if not selectors.can_measure(request.user, unit):
        raise PermissionDenied
    objective = selectors.get_objective(unit, pk)
    try:
        m = services.measure_linked(request.user, objective)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if m is None:
            messages.warning(request, _("No dossier data in this period yet: nothing measured."))
        else:
            messages.success(request, _("Measured from the dossier data."))
    return redirect("planning_objective", unit.pk, objective.pk)


# ---------------------------------------------------------------- risks


def _risk_filters(request) -> dict:
    g = request.GET

    def small(name):
        v = g.get(name, "")
        return int(v) if v.isdigit() and 1 <= int(v) <= 5 else None

    return {
        "query": g.get("q"),
        "kind": g.get("kind") if g.get("kind") in RiskKind.values else None,
        "band": g.get("band") if g.get("band") in Band.values else None,
        "likelihood": small("likelihood"),
        "impact": small("impact"),
        "process": g.get("process"),
        "owner": g.get("owner"),
        "due": g.get("due") == "1",
        "include_closed": g.get("closed") == "1",
    }


@login_required
def risks(request, unit_pk):
    unit = _unit(request, unit_pk, "risks and opportunities")
    filters = _risk_filters(request)
    qs = selectors.risks(unit, **filters)
    if request.GET.get("export") == "xlsx":
        b = selectors.bands(unit)
        header = [
            _("Kind"),
            _("Process"),
            _("Description"),
            _("Cause"),
            _("Likelihood"),
            _("Impact"),
            pgettext("risk level", "Level"),
            _("Band"),
            _("Treatment"),
            _("Owner"),
            _("Review date"),
            _("Effectiveness"),
            _("Evaluated on"),
        ]
        rows = [
            [
                r.get_kind_display(),
                r.process_label,
                r.description,
                r.cause,
                r.likelihood,
                r.impact,
                r.level,
                str(Band(b.band(r.level)).label),
                r.treatment,
                r.owner and (r.owner.full_name or r.owner.username),
                r.review_date and r.review_date.strftime("%d/%m/%Y"),
                r.get_effectiveness_display(),
                r.evaluated_on and r.evaluated_on.strftime("%d/%m/%Y"),
            ]
            for r in qs
        ]
        return table_response(f"rui-ro-{unit.code}", header, rows, "xlsx")
    # The heat map counts the register under every filter but the cell's own.
    grid_filters = {k: v for k, v in filters.items() if k not in ("likelihood", "impact")}
    grid = selectors.heat_map(selectors.risks(unit, **grid_filters), unit)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    b = selectors.bands(unit)
    for r in page.object_list:
        r.band = b.band(r.level)
    query = _query_string(request)
    return render(
        request,
        "planning/risks.html",
        _base(
            request,
            unit,
            page=page,
            grid=grid,
            bands=b,
            filters=filters,
            cell_query=_query_string(request, drop=("page", "likelihood", "impact")),
            query_string=query,
            export_query="&".join(filter(None, (query, "export=xlsx"))),
            kinds=RiskKind.choices,
            band_choices=Band.choices,
            processes=selectors.process_documents(unit),
            owners=selectors.members(unit),
            today=timezone.localdate(),
            can_add_risk=selectors.can_add_risk(request.user, unit),
        ),
    )


def _risk_form(request, unit, risk=None):
    if risk is None:
        if not selectors.can_add_risk(request.user, unit):
            raise PermissionDenied
    elif not selectors.can_edit_risk(request.user, risk):
        raise PermissionDenied
    form = RiskForm(
        request.POST or None,
        unit=unit,
        instance=risk and selectors.get_risk(unit, risk.pk),
        initial={"likelihood": 3, "impact": 3} if risk is None else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_risk(request.user, unit, form.cleaned_data, risk=risk)
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, PermissionDenied):
                form.add_error("process", str(exc))
            else:
                _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("planning_risk", unit.pk, saved.pk)
    return render(request, "planning/risk_form.html", _base(request, unit, form=form, risk=risk))


@login_required
def risk_create(request, unit_pk):
    unit = _unit(request, unit_pk, "risks and opportunities")
    return _risk_form(request, unit)


@login_required
def risk_edit(request, unit_pk, pk):
    unit = _unit(request, unit_pk, "risks and opportunities")
    return _risk_form(request, unit, selectors.get_risk(unit, pk))


@login_required
def risk_detail(request, unit_pk, pk):
    unit = _unit(request, unit_pk, "risks and opportunities")
    risk = selectors.get_risk(unit, pk)
    b = selectors.bands(unit)
    return render(
        request,
        "planning/risk_detail.html",
        _base(
            request,
            unit,
            risk=risk,
            band=b.band(risk.level),
            events=selectors.risk_events(risk),
            can_edit=selectors.can_edit_risk(request.user, risk),
            effectiveness=Effectiveness,
        ),
    )


# ---------------------------------------------------------------- yearly plan


@login_required
def plan(request, unit_pk):
    unit = _unit(request, unit_pk, "yearly QMS plan")
    year = _year(request)
    today = timezone.localdate()
    g = request.GET
    # From the DoST home: every overdue item, whatever its year.
    all_years = g.get("overdue") == "1" and not g.get("year")
    items = list(
        selectors.plan_items(
            unit,
            None if all_years else year,
            kind=g.get("kind") if g.get("kind") in PlanKind.values else None,
            status=g.get("status") if g.get("status") in PlanStatus.values else None,
            owner=g.get("owner"),
            query=g.get("q"),
            overdue=g.get("overdue") == "1",
            today=today,
        )
    )
    for item in items:
        item.overdue = selectors.is_overdue(item, today)
    months = []
    for m in range(1, 13):
        first = dt.date(year, m, 1)
        last = dt.date(year + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
        months.append(
            {
                "month": first,
                "items": [i for i in items if i.start <= last and i.end >= first],
            }
        )
    return render(
        request,
        "planning/plan.html",
        _base(
            request,
            unit,
            year=year,
            years=selectors.years(unit),
            items=items,
            months=months,
            view=g.get("view") if g.get("view") in ("list", "timeline") else "list",
            kinds=PlanKind.choices,
            statuses=PlanStatus.choices,
            owners=selectors.members(unit),
            overdue_count=selectors.overdue_plan_items(unit, today).count(),
            q=g.get("q", ""),
            today=today,
        ),
    )


def _plan_form(request, unit, item=None):
    _writer(request, unit)
    initial = None
    if item is None:
        year = _year(request)
        initial = {"year": year, "start": dt.date(year, 1, 1), "end": dt.date(year, 1, 31)}
    form = PlanItemForm(
        request.POST or None,
        unit=unit,
        instance=item and selectors.get_plan_item(unit, item.pk),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_plan_item(request.user, unit, form.cleaned_data, item=item)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(
                reverse("planning_plan", args=[unit.pk]) + f"?year={saved.year}#item-{saved.pk}"
            )
    return render(request, "planning/plan_form.html", _base(request, unit, form=form, item=item))


@login_required
def plan_create(request, unit_pk):
    unit = _unit(request, unit_pk, "yearly QMS plan")
    return _plan_form(request, unit)


@login_required
def plan_edit(request, unit_pk, pk):
    unit = _unit(request, unit_pk, "yearly QMS plan")
    return _plan_form(request, unit, selectors.get_plan_item(unit, pk))


@login_required
@require_POST
def plan_generate(request, unit_pk):
    unit = _unit(request, unit_pk, "yearly QMS plan")
    _writer(request, unit)
    year = _year(request)
    created = services.generate_standard_plan(request.user, unit, year)
    if created:
        text = ngettext(
            "%(n)d activity added to the plan of %(year)d.",
            "%(n)d activities added to the plan of %(year)d.",
            len(created),
        )
        messages.success(request, text % {"n": len(created), "year": year})
    else:
        messages.info(request, _("The usual activities are already in the plan."))
    return redirect(reverse("planning_plan", args=[unit.pk]) + f"?year={year}")

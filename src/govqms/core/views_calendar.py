"""The working calendar page: a year of month grids for every signed-in user; the
overrides' add and delete forms for DoST administrators."""

import calendar as stdlib_calendar
import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from . import calendar as engine
from . import selectors_calendar as selectors
from . import services_calendar as services
from .models import CalendarOverride

KIND_LABELS = {
    "working": gettext_lazy("Working day"),
    "weekend": gettext_lazy("Weekend"),
    "holiday": gettext_lazy("Public holiday"),
    "swap_working": gettext_lazy("Weekend day worked (exchange)"),
    engine.DAY_OFF: gettext_lazy("Extra day off"),
    engine.WORKING_DAY: gettext_lazy("Worked weekend day"),
    engine.REMOVED_HOLIDAY: gettext_lazy("Holiday worked"),
}


def _scope_label(scope: str) -> str:
    return scope or _("Whole country")


class OverrideForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(label=gettext_lazy("Change"), choices=CalendarOverride.Kind.choices)
    scope = forms.ChoiceField(label=gettext_lazy("Applies to"), required=False)
    legal_basis = forms.CharField(
        label=gettext_lazy("Legal basis"),
        max_length=255,
        help_text=gettext_lazy("The decision or notice, e.g. Công văn 12729/VPCP-KGVX."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, scopes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.scopes = list(scopes)
        self.fields["scope"].choices = [(s, _scope_label(s)) for s in self.scopes]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_scope(self):
        scope = self.cleaned_data.get("scope") or ""
        if scope not in self.scopes:  # "" (national) is offered to superusers only
            raise ValidationError(_("You may not change this calendar."))
        return scope


class DeleteForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


def _year(request, calendar) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, calendar.first.year), calendar.last.year)


def _scopes(user) -> list[str]:
    scopes = selectors.visible_scopes(user)
    return scopes + [s for s in selectors.editable_scopes(user) if s not in scopes]


def _month_grids(calendar, year: int, names: dict) -> list[dict]:
    grid = stdlib_calendar.Calendar(firstweekday=0)
    months = []
    for month in range(1, 13):
        weeks = []
        for week in grid.monthdatescalendar(year, month):
            row = []
            for day in week:
                if day.month != month:
                    row.append(None)
                    continue
                kind = calendar.day_kind(day)
                override = calendar.overrides.get(day)
                label = names.get(day, "")
                if override is not None:
                    label = f"{KIND_LABELS[kind]}: {override.legal_basis}"
                elif not label:
                    label = str(KIND_LABELS[kind])
                row.append(
                    {
                        "day": day,
                        "kind": kind,
                        "working": calendar.is_working_day(day),
                        "label": label,
                    }
                )
            weeks.append(row)
        first, last = dt.date(year, month, 1), dt.date(year, month, grid_days(year, month))
        months.append(
            {
                "number": month,
                "first": first,
                "weeks": weeks,
                "working_days": calendar.working_days_in(first, last),
            }
        )
    return months


def grid_days(year: int, month: int) -> int:
    return stdlib_calendar.monthrange(year, month)[1]


def _holiday_language() -> str:
    return "vi" if (get_language() or "vi").startswith("vi") else "en_US"


def _back(year=None, scope=None) -> str:
    params = {k: v for k, v in {"year": year, "scope": scope}.items() if v not in (None, "")}
    url = reverse("calendar")
    return f"{url}?{urlencode(params)}" if params else url


@login_required
def calendar_year(request):
    """The working calendar of a year for one scope (the nation or a province)."""
    user = request.user
    scopes = _scopes(user)
    scope = request.GET.get("scope")
    if scope is None or scope not in scopes:
        scope = selectors.default_scope(user)
    calendar = engine.Calendar.for_scope(scope)
    year = _year(request, calendar)
    names = engine.package_holidays([year], language=_holiday_language())
    editable = selectors.editable_scopes(user)
    add_form = None
    if editable:
        add_form = OverrideForm(
            scopes=editable,
            initial={"scope": scope if scope in editable else editable[0]},
        )
    overrides = list(selectors.overrides(scope, year))
    for override in overrides:
        override.can_delete = selectors.can_edit_scope(user, override.scope)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return render(
        request,
        "core/calendar/calendar.html",
        {
            "year": year,
            "years": range(calendar.first.year, calendar.last.year + 1),
            "scope": scope,
            "scope_label": _scope_label(scope),
            "scopes": [(s, _scope_label(s)) for s in scopes],
            "months": _month_grids(calendar, year, names),
            "holidays": sorted((d, n) for d, n in names.items() if d.year == year),
            "overrides": overrides,
            "working_days": calendar.working_days_in(first, last),
            "hours_per_day": calendar.working_hours_per_day,
            "office_hours": calendar.office_hours,
            "paper_cutoff": engine.paper_cutoff(),
            "add_form": add_form,
            "is_admin": selectors.is_calendar_admin(user),
            "kind_labels": KIND_LABELS,
            "today": timezone.localdate(),
        },
    )


@login_required
def override_add(request):
    """Add an override (DoST administrators; national ones superusers only)."""
    if not selectors.is_calendar_admin(request.user):
        raise PermissionDenied
    scopes = selectors.editable_scopes(request.user)
    initial = {"date": request.GET.get("date"), "scope": request.GET.get("scope")}
    if initial["scope"] not in scopes:
        initial["scope"] = scopes[0] if scopes else ""
    form = OverrideForm(request.POST or None, scopes=scopes, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            override = services.add_override(request.user, **data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                _("%(date)s added to the working calendar of %(scope)s.")
                % {
                    "date": override.date.strftime("%d/%m/%Y"),
                    "scope": _scope_label(override.scope),
                },
            )
            return redirect(_back(override.date.year, override.scope))
    return render(
        request,
        "core/calendar/override_form.html",
        {"form": form, "back": _back(scope=initial["scope"])},
    )


@login_required
def override_delete(request, pk):
    """Remove an override (its scope's administrators)."""
    if not selectors.is_calendar_admin(request.user):
        raise PermissionDenied
    override = selectors.get_override(pk)
    if not selectors.can_edit_scope(request.user, override.scope):
        raise PermissionDenied
    form = DeleteForm(request.POST or None)
    back = _back(override.date.year, override.scope)
    if request.method == "POST" and form.is_valid():
        services.delete_override(request.user, override, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("%(date)s removed from the working calendar of %(scope)s.")
            % {"date": override.date.strftime("%d/%m/%Y"), "scope": _scope_label(override.scope)},
        )
        return redirect(back)
    return render(
        request,
        "core/calendar/override_delete.html",
        {
            "override": override,
            "form": form,
            "back": back,
            "kind_label": KIND_LABELS[override.kind],
            "scope_label": _scope_label(override.scope),
        },
    )

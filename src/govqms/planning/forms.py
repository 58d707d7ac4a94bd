"""Forms of the planning pages; choices restricted to the agency's own records."""

from django import forms
from django.utils.translation import gettext_lazy as _

from govqms.procedures.models import AdministrativeProcedure

from . import selectors
from .models import Measurement, Objective, PlanItem, Risk

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DecimalCommaField(forms.DecimalField):
    """A number typed the Vietnamese way too ("97,5"): a text box with a decimal
    keypad on phones."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace(",", ".")
        return super().to_python(value)

    def widget_attrs(self, widget):
        return {}


def _bootstrap(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
        if isinstance(widget, forms.Textarea):
            widget.attrs["rows"] = 2


class PolicyForm(forms.Form):
    document = forms.ModelChoiceField(
        queryset=None, label=_("Quality policy (controlled document)")
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = selectors.policy_documents(unit)
        _bootstrap(self)


class ObjectiveForm(forms.ModelForm):
    target = DecimalCommaField(label=_("Target"), max_digits=12, decimal_places=2)
    tolerance = DecimalCommaField(
        label=_("Tolerance (at risk within)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        initial=5,
        help_text=_("How far from the target a value is still 'at risk' rather than 'off track'."),
    )
    procedures = forms.ModelMultipleChoiceField(
        queryset=AdministrativeProcedure.objects.none(),
        required=False,
        label=_("TTHC measured (none: all of the agency's)"),
    )

    class Meta:
        model = Objective
        fields = [
            "year",
            "title",
            "indicator",
            "measure_unit",
            "direction",
            "target",
            "tolerance",
            "schedule",
            "source",
            "kpi",
            "procedures",
            "plan_what",
            "plan_who",
            "plan_when",
            "plan_resources",
        ]
        widgets = {
            "plan_when": DATE,
            "plan_what": forms.Textarea,
            "plan_resources": forms.Textarea,
        }

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_who"].queryset = selectors.members(unit)
        self.fields["procedures"].queryset = selectors.assigned_procedures(unit).order_by("code")
        self.fields["procedures"].widget.attrs["size"] = 6
        _bootstrap(self)


class MeasurementForm(forms.ModelForm):
    value = DecimalCommaField(label=_("Value"), max_digits=14, decimal_places=2)

    class Meta:
        model = Measurement
        fields = ["measured_on", "value", "comment"]
        widgets = {"measured_on": DATE, "comment": forms.Textarea}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class RiskForm(forms.ModelForm):
    class Meta:
        model = Risk
        fields = [
            "kind",
            "process",
            "process_text",
            "description",
            "cause",
            "likelihood",
            "impact",
            "treatment",
            "owner",
            "review_date",
            "effectiveness",
            "evaluated_on",
            "closed",
        ]
        widgets = {
            "review_date": DATE,
            "evaluated_on": DATE,
            "description": forms.Textarea,
            "cause": forms.Textarea,
            "treatment": forms.Textarea,
            "likelihood": forms.Select(choices=[(i, i) for i in range(1, 6)]),
            "impact": forms.Select(choices=[(i, i) for i in range(1, 6)]),
        }

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = selectors.process_documents(unit)
        self.fields["owner"].queryset = selectors.members(unit)
        _bootstrap(self)


class PlanItemForm(forms.ModelForm):
    evidence_url = forms.URLField(required=False, assume_scheme="https", label=_("Evidence link"))

    class Meta:
        model = PlanItem
        fields = [
            "year",
            "kind",
            "title",
            "start",
            "end",
            "owner",
            "remind_days",
            "status",
            "done_on",
            "evidence",
            "evidence_url",
            "cancel_reason",
        ]
        widgets = {
            "start": DATE,
            "end": DATE,
            "done_on": DATE,
            "evidence": forms.Textarea,
            "cancel_reason": forms.Textarea,
        }

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.members(unit)
        _bootstrap(self)

"""Forms of the inspection pages (the services check the rules)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from govqms.organizations.models import UnitKind

from .models import Inspection, InspectionFinding

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTHS = [("", "—")] + [(m, str(m)) for m in range(1, 13)]


class Styled(forms.Form):
    """Bootstrap classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class PlanCreateForm(Styled):
    owner = forms.ChoiceField(label=_("Province (owner)"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    number = forms.CharField(label=_("Plan number"), max_length=100, required=False)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owners = {str(u.pk): u for u in owners}
        self.fields["owner"].choices = [(str(u.pk), u.name) for u in owners]

    def clean_owner(self):
        return self.owners[self.cleaned_data["owner"]]


class PlanFilterForm(Styled):
    mode = forms.ChoiceField(
        label=_("Mode"), required=False, choices=[("", _("All modes")), *Inspection.Mode.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Inspection.Status.choices],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *UnitKind.choices]
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class ModeForm(Styled):
    inspection = forms.IntegerField(widget=forms.HiddenInput)
    mode = forms.ChoiceField(label=_("Mode"), choices=Inspection.Mode.choices)
    planned_month = forms.TypedChoiceField(
        label=_("Month"), choices=MONTHS, coerce=int, empty_value=None, required=False
    )


class ApproveForm(Styled):
    number = forms.CharField(label=_("Plan number"), max_length=100, required=False)


class DecisionForm(Styled):
    number = forms.CharField(label=_("Decision number"), max_length=100)
    date = forms.DateField(label=_("Decision date"), widget=DATE)
    lead = forms.ModelChoiceField(label=_("Team lead"), queryset=None)
    team = forms.CharField(
        label=_("Team members"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name, position."),
    )
    scheduled_on = forms.DateField(label=_("Inspection date"), widget=DATE)

    def __init__(self, *args, leads=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = leads


class MinutesForm(Styled):
    inspected_on = forms.DateField(label=_("Inspected on"), widget=DATE)
    representatives = forms.CharField(
        label=_("Agency representatives"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: name, position."),
    )
    summary = forms.CharField(
        label=_("Observations"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}))


class FindingForm(Styled):
    clause = forms.CharField(label=_("Clause"), max_length=20, required=False)
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 2}))
    grade = forms.ChoiceField(label=_("Grade"), choices=InspectionFinding.Grade.choices)


class ReportForm(Styled):
    text = forms.CharField(label=_("Corrections made"), widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(label=_("Report file (PDF, DOCX or XLSX)"), required=False)

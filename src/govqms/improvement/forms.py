from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Grade, Source, Status
from .services import MAX_WHYS

try:
    from govqms.audits.clauses import CLAUSES
except ImportError:  # pragma: no cover  (before the audits app ships its outline)
    CLAUSES = []


def clause_choices():
    return [("", "—")] + [(number, f"{number} {title}") for number, title in CLAUSES]


class Styled:
    """Bootstrap classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()

    def style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class FilterForm(Styled, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("not_closed", _("Not closed")), *Status.choices],
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All")), *Source.choices]
    )
    grade = forms.ChoiceField(
        label=_("Grade"),
        required=False,
        choices=[("", _("All")), *Grade.choices, ("none", _("Not graded"))],
    )
    overdue = forms.BooleanField(label=_("With overdue actions"), required=False)


class NonconformityForm(Styled, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    source_kind = forms.ChoiceField(label=_("Source"), choices=Source.choices, initial="other")
    source_label = forms.CharField(
        label=_("Source reference"),
        max_length=300,
        required=False,
        help_text=_("For example the inspection minutes or the review it came from."),
    )
    clause = forms.ChoiceField(label=_("ISO 9001:2015 clause"), required=False, choices=[])
    process = forms.ModelChoiceField(label=_("Process (procedure)"), required=False, queryset=None)
    grade = forms.ChoiceField(label=_("Grade"), required=False, choices=[("", "—"), *Grade.choices])
    detected_on = forms.DateField(label=_("Detected on"), widget=DateInput())
    due_date = forms.DateField(label=_("Target date"), required=False, widget=DateInput())

    def __init__(self, *args, processes=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = processes
        choices = clause_choices()
        current = (self.initial.get("clause") or "").strip()
        if current and current not in {value for value, _label in choices}:
            choices.append((current, current))  # free text from an older record
        self.fields["clause"].choices = choices
        if editing:
            for name in ("source_kind", "source_label", "detected_on"):
                del self.fields[name]
        self.style()


class CorrectionForm(Styled, forms.Form):
    correction = forms.CharField(
        label=_("Correction done at once"), widget=forms.Textarea(attrs={"rows": 3})
    )
    correction_on = forms.DateField(label=_("Done on"), widget=DateInput())


class AnalysisForm(Styled, forms.Form):
    root_cause = forms.CharField(label=_("Root cause"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, MAX_WHYS + 1):
            self.fields[f"why_{i}"] = forms.CharField(
                label=_("Why %(n)d?") % {"n": i}, required=False, max_length=500
            )
            self.fields[f"because_{i}"] = forms.CharField(
                label=_("Because"), required=False, max_length=500
            )
        self.style()

    @staticmethod
    def initial_for(nc) -> dict:
        data = {"root_cause": nc.root_cause}
        for i, pair in enumerate(nc.whys or [], start=1):
            data[f"why_{i}"] = pair.get("why", "")
            data[f"because_{i}"] = pair.get("because", "")
        return data

    def whys(self) -> list[dict]:
        return [
            {
                "why": self.cleaned_data.get(f"why_{i}", ""),
                "because": self.cleaned_data.get(f"because_{i}", ""),
            }
            for i in range(1, MAX_WHYS + 1)
        ]

    def pairs(self):
        return [(self[f"why_{i}"], self[f"because_{i}"]) for i in range(1, MAX_WHYS + 1)]


class ActionForm(Styled, forms.Form):
    text = forms.CharField(
        label=pgettext_lazy("an action to carry out", "Action"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: u.display_name
        self.style()


class DoneForm(Styled, forms.Form):
    evidence = forms.CharField(
        label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EvaluationForm(Styled, forms.Form):
    effective = forms.TypedChoiceField(
        label=_("Were the actions effective?"),
        choices=[("yes", _("Yes, effective")), ("no", _("No, not effective"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (evidence of effectiveness)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    improvements = forms.CharField(
        label=_("Improvements made (opportunity for improvement)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

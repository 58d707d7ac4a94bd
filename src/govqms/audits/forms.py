from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from govqms.organizations.models import Membership

from . import selectors
from .clauses import clause_choices
from .models import Auditor, Grade, Result

DT_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


class Styled:
    """Bootstrap classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()

    def style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class UsersChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class ProgrammeForm(Styled, forms.Form):
    objectives = forms.CharField(
        label=_("Objectives"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    criteria = forms.CharField(
        label=_("Audit criteria"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("For example: TCVN ISO 9001:2015, the agency's procedures, the law."),
    )
    frequency = forms.CharField(label=_("Frequency"), max_length=200, required=False)
    clauses = forms.MultipleChoiceField(
        label=_("Clauses to cover over the year"),
        choices=clause_choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    processes = forms.ModelMultipleChoiceField(
        label=_("Processes to cover over the year"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["processes"].queryset = selectors.agency_procedures(unit)


class PlanForm(Styled, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    planned_start = forms.DateTimeField(
        label=_("Planned start"), widget=DT_WIDGET, input_formats=DT_FORMATS
    )
    planned_end = forms.DateTimeField(
        label=_("Planned end"), widget=DT_WIDGET, input_formats=DT_FORMATS
    )
    lead = UserChoice(label=_("Lead auditor"), queryset=None)
    team = UsersChoice(
        label=_("Audit team"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    processes = forms.ModelMultipleChoiceField(
        label=_("Processes in scope"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    clauses = forms.MultipleChoiceField(
        label=_("ISO 9001:2015 clauses in scope"),
        choices=clause_choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    divisions = forms.MultipleChoiceField(
        label=_("Divisions in scope"), required=False, widget=forms.CheckboxSelectMultiple
    )
    objectives = forms.CharField(
        label=_("Objectives"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    criteria = forms.CharField(
        label=_("Audit criteria"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    RULES = _(
        "Only auditors in the agency's register whose training certificate is valid on "
        "the audit's days can be lead or team. Independence: nobody may audit their own "
        "division or a process they own."
    )

    def __init__(self, *args, unit, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        User = get_user_model()
        user_ids = set(
            Auditor.objects.filter(unit=unit, active=True).values_list("user_id", flat=True)
        )
        if plan is not None:
            user_ids |= set(plan.invitations.values_list("auditor__user_id", flat=True))
            user_ids |= {plan.lead_id} | set(plan.team.values_list("pk", flat=True))
        people = User.objects.filter(pk__in=user_ids).order_by("full_name", "username")
        self.fields["lead"].queryset = people
        self.fields["team"].queryset = people
        self.fields["processes"].queryset = selectors.agency_procedures(unit)
        divisions = selectors.agency_divisions(unit)
        if plan is not None:
            divisions = sorted(set(divisions) | set(plan.divisions))
        self.fields["divisions"].choices = [(d, d) for d in divisions]


class AuditorForm(Styled, forms.Form):
    user = UserChoice(label=_("Person"), queryset=None)
    certificate_name = forms.CharField(label=_("Training certificate"), max_length=300)
    certificate_issuer = forms.CharField(
        label=pgettext_lazy("certificate", "Issued by"), max_length=300, required=False
    )
    certificate_number = forms.CharField(
        label=_("Certificate number"), max_length=100, required=False
    )
    certificate_date = forms.DateField(label=_("Date of issue"), widget=DATE_WIDGET)
    certificate_expiry = forms.DateField(
        label=_("Valid until"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("Leave empty if the certificate does not expire."),
    )
    file = forms.FileField(
        label=_("Scan of the certificate"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    in_pool = forms.BooleanField(
        label=_("Available to audit other agencies of the province"), required=False
    )

    def __init__(self, *args, unit, auditor=None, **kwargs):
        super().__init__(*args, **kwargs)
        User = get_user_model()
        if auditor is not None:
            self.fields["user"].queryset = User.objects.filter(pk=auditor.user_id)
            self.fields["user"].disabled = True
        else:
            members = Membership.objects.active_on().filter(unit=unit).values("user_id")
            taken = Auditor.objects.filter(unit=unit).values("user_id")
            self.fields["user"].queryset = (
                User.objects.filter(pk__in=members)
                .exclude(pk__in=taken)
                .order_by("full_name", "username")
            )


class ItemForm(Styled, forms.Form):
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    clause = forms.ChoiceField(label=_("Clause"), required=False)
    process = forms.ModelChoiceField(
        label=_("Process"), queryset=None, required=False, empty_label="—"
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clause"].choices = [("", "—")] + clause_choices()
        self.fields["process"].queryset = selectors.agency_procedures(unit)


class ResultForm(Styled, forms.Form):
    result = forms.ChoiceField(
        label=_("Result"), choices=[("", "—"), *Result.choices], required=False
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class EvidenceForm(Styled, forms.Form):
    file = forms.FileField(
        label=_("Evidence file"), help_text=_("PDF, Word, Excel, JPEG or PNG, at most 10 MB.")
    )


class FindingForm(Styled, forms.Form):
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)
    clause = forms.ChoiceField(label=_("Clause"))
    process = forms.ModelChoiceField(
        label=_("Process"), queryset=None, required=False, empty_label="—"
    )
    item = forms.ModelChoiceField(label=_("Checklist question"), queryset=None, required=False)
    description = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(
        label=_("Objective evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clause"].choices = [("", "—")] + clause_choices()
        self.fields["process"].queryset = selectors.agency_procedures(plan.unit)
        self.fields["item"].queryset = plan.items.order_by("order", "pk")
        self.fields["item"].label_from_instance = lambda it: f"{it.order}. {it.question[:90]}"


class StatusForm(Styled, forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("start", "start"),
            ("complete", "complete"),
            ("issue", "issue"),
            ("cancel", "cancel"),
        ]
    )
    at = forms.DateTimeField(required=False, widget=DT_WIDGET, input_formats=DT_FORMATS)


class ReportTextForm(Styled, forms.Form):
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    conclusion = forms.CharField(
        label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class InviteForm(Styled, forms.Form):
    auditor = forms.ModelChoiceField(label=_("Auditor of another agency"), queryset=None)

    def __init__(self, *args, pool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = Auditor.objects.filter(
            pk__in=[a.pk for a in pool]
        ).select_related("user", "unit")
        self.fields["auditor"].label_from_instance = lambda a: (
            f"{a.user} · {a.unit.name} · {a.certificate_name}"
        )

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from govqms.core.pages import add_service_errors
from govqms.organizations.models import AGENCY_ROLES

from .models import DocumentKind, LegalDocument, VersionStatus


class BootstrapMixin:
    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


def save_form(request, form, save):
    """For a POST with a valid form, what `save` (a service call) returns; None
    otherwise, the service's refusal shown on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save()
    except ValidationError as error:
        add_service_errors(form, error)
        return None


class RegisterFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    owner = forms.ChoiceField(label=_("Process owner"), required=False)
    due = forms.BooleanField(label=_("Due for review"), required=False)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *DocumentKind.choices]
        self.fields["status"].choices = [
            ("", _("Any status")),
            (VersionStatus.EFFECTIVE, _("Has an effective version")),
            ("none", _("No effective version")),
            (VersionStatus.DRAFT, _("Has a draft")),
            (VersionStatus.IN_REVIEW, _("In review")),
            (VersionStatus.APPROVED, _("Approved, not yet effective")),
        ]
        self.fields["owner"].choices = [("", _("Anyone"))] + [
            (u.pk, u.display_name) for u in owners
        ]
        self._style()


class DocumentForm(BootstrapMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40, help_text=_("For example QT-01."))
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    division = forms.CharField(label=_("Owning division"), max_length=200, required=False)
    owner = forms.ChoiceField(label=_("Process owner"), required=False)
    review_interval_months = forms.IntegerField(
        label=_("Review interval (months)"), min_value=1, max_value=60, initial=12
    )
    audience_roles = forms.MultipleChoiceField(
        label=_("Roles that must read it"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: everyone in the agency."),
    )
    audience_divisions = forms.CharField(
        label=_("Divisions that must read it"),
        required=False,
        help_text=_("Separate with commas; empty: every division."),
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(u.pk): u for u in people}
        self.fields["owner"].choices = [("", "—")] + [
            (u.pk, u.display_name) for u in self.people.values()
        ]
        self.fields["audience_roles"].choices = [(r.value, r.label) for r in AGENCY_ROLES]
        self._style()

    def chosen_owner(self):
        """The chosen process owner (one of `people`), or None."""
        owner = self.cleaned_data.get("owner")
        return self.people[owner] if owner else None

    def divisions(self) -> list[str]:
        return [d.strip() for d in self.cleaned_data["audience_divisions"].split(",") if d.strip()]


class VersionTextForm(BootstrapMixin, forms.Form):
    change_note = forms.CharField(
        label=_("What changed in this issue"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    purpose = forms.CharField(
        label=_("1. Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    scope = forms.CharField(
        label=_("2. Scope"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    legal_basis = forms.CharField(
        label=_("5.1 Legal basis"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    conditions = forms.CharField(
        label=_("5.2 Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    processing_time = forms.CharField(label=_("5.4 Processing time"), required=False)
    where = forms.CharField(label=_("5.5 Where to submit and collect"), required=False)
    fees = forms.CharField(label=_("5.6 Fees"), required=False)
    body = forms.CharField(
        label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    legal_references = forms.ModelMultipleChoiceField(
        label=_("Legal documents cited"),
        queryset=LegalDocument.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class _RowForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
        for field in self.fields.values():
            field.widget.attrs["class"] += " form-control-sm"


class ReferenceRow(_RowForm):
    text = forms.CharField(label=_("Reference"), max_length=500)


class DefinitionRow(_RowForm):
    term = forms.CharField(label=_("Term"), max_length=200)
    meaning = forms.CharField(label=_("Meaning"), max_length=1000)


class DossierRow(_RowForm):
    name = forms.CharField(label=_("Paper"), max_length=500)
    original = forms.IntegerField(label=_("Originals"), min_value=0, initial=1)
    copy = forms.IntegerField(label=_("Copies"), min_value=0, initial=0)
    sets = forms.IntegerField(label=_("Sets"), min_value=1, initial=1)


class StepRow(_RowForm):
    step = forms.CharField(label=_("Step"), max_length=20)
    name = forms.CharField(label=_("What is done"), max_length=500)
    responsible = forms.CharField(label=_("Responsible"), max_length=200)
    hours = forms.DecimalField(
        label=_("Working hours"), min_value=0, max_digits=7, decimal_places=2
    )
    form = forms.CharField(label=_("Form or result"), max_length=300, required=False)


class FormRow(_RowForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name of the form"), max_length=300)


class RecordRow(_RowForm):
    record = forms.CharField(label=_("Record to keep"), max_length=300)
    keeper = forms.CharField(label=_("Kept by"), max_length=200)
    retention = forms.CharField(label=_("Retention"), max_length=100)


# (content key, row form, title): the tables of a procedure, in document order.
TABLES = [
    ("references", ReferenceRow, _("3. References")),
    ("definitions", DefinitionRow, _("4. Definitions and abbreviations")),
    ("dossier_components", DossierRow, _("5.3 Dossier components")),
    ("steps", StepRow, _("5.7 Steps")),
    ("forms", FormRow, _("6. Forms")),
    ("records", RecordRow, _("7. Records to keep")),
]


def table_formsets(data=None, content=None):
    """One formset per table, filled from `content` (GET) or `data` (POST)."""
    formsets = []
    for key, row_form, title in TABLES:
        formset_class = formset_factory(row_form, extra=1, can_delete=True)
        initial = None
        if content is not None:
            rows = content.get(key) or []
            initial = [{"text": r} for r in rows] if key == "references" else rows
        formset = formset_class(data, initial=initial, prefix=key)
        formset.key, formset.title = key, title
        formsets.append(formset)
    return formsets


def rows_from_formset(formset) -> list:
    rows = []
    for form in formset.forms:
        if not form.has_changed() or form.cleaned_data.get("DELETE"):
            continue
        data = {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        if formset.key == "references":
            rows.append(data["text"])
            continue
        if "hours" in data:
            hours = data["hours"]
            data["hours"] = int(hours) if hours == int(hours) else float(hours)
        rows.append(data)
    return rows


class SubmitForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecideForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Return for changes"))]
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EffectiveForm(BootstrapMixin, forms.Form):
    effective_from = forms.DateField(
        label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ReviseForm(BootstrapMixin, forms.Form):
    description = forms.CharField(label=_("What changes"), widget=forms.Textarea(attrs={"rows": 2}))
    request = forms.CharField(label=_("Requested by"), max_length=300, required=False)
    section = forms.CharField(label=_("Page / section"), max_length=200, required=False)


class WithdrawForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class StepsForm(BootstrapMixin, forms.Form):
    """The agency's sign-off steps, one per line: label | role."""

    steps = forms.CharField(
        label=_("Sign-off steps"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One step per line, in order: label | role. The author's sign-off comes first."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def clean_steps(self):
        from govqms.organizations.models import AGENCY_ROLES

        roles = {r.value: r for r in AGENCY_ROLES} | {str(r.label).lower(): r for r in AGENCY_ROLES}
        parsed = []
        for number, line in enumerate(self.cleaned_data["steps"].splitlines(), start=1):
            if not line.strip():
                continue
            label, sep, role = (part.strip() for part in line.partition("|"))
            role_value = roles.get(role) or roles.get(role.lower())
            if not sep or not label or role_value is None:
                raise forms.ValidationError(
                    _("Line %(n)s: write it as label | role, with one of the roles: %(roles)s.")
                    % {"n": number, "roles": ", ".join(r.value for r in AGENCY_ROLES)}
                )
            parsed.append((label, role_value.value))
        if not parsed:
            raise forms.ValidationError(_("At least one sign-off step is needed."))
        return parsed

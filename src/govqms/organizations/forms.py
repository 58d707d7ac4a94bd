from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AGENCY_ROLES, ChangeKind, Role, UnitKind


class AgencyFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    parent = forms.ChoiceField(label=_("Under"), required=False)
    remit = forms.ChoiceField(
        label=_("DoST remit"),
        required=False,
        choices=[("", _("All")), ("yes", _("In the remit")), ("no", _("Outside the remit"))],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("active", _("Active")), ("ended", _("Ended")), ("all", _("All"))],
    )

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *UnitKind.choices]
        self.fields["parent"].choices = [("", _("Anywhere"))] + [(p.pk, p.name) for p in parents]


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("User"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        from govqms.core.audit import ACTION_LABELS

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *ACTION_LABELS.items()]


class MembershipForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_("An existing account, or a new one created with the details below."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"))
    title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    valid_from = forms.DateField(
        label=_("From"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, allow_oversight=False, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)
        roles = list(AGENCY_ROLES) + (
            [Role.DOST_OFFICER, Role.DOST_ADMIN] if allow_oversight else []
        )
        self.fields["role"].choices = [(r.value, r.label) for r in roles]


class EndMembershipForm(forms.Form):
    valid_to = forms.DateField(
        label=_("Last day"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class AgencyImportForm(forms.Form):
    file = forms.FileField(label=_("File (XLSX or CSV)"))
    dry_run = forms.BooleanField(label=_("Check only, import nothing"), required=False)


class RestructureForm(forms.Form):
    """One restructuring, as a DoST administrator types it: units named by code."""

    kind = forms.ChoiceField(label=_("Kind of restructuring"), choices=ChangeKind.choices)
    sources = forms.CharField(
        label=_("Units concerned (codes)"),
        help_text=_("Separate codes with commas. A merge needs two or more."),
    )
    date = forms.DateField(
        label=_("Effective date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=500)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    target_code = forms.CharField(
        label=_("Code of the resulting unit"),
        required=False,
        help_text=_(
            "Merge: an existing unit that lives on, or a new code. Rename: a new code "
            "(optional). Move: the new parent. Dissolve: where the units under it go."
        ),
    )
    target_name = forms.CharField(
        label=_("Name of the resulting unit"),
        required=False,
        help_text=_("Merge into a new unit, or rename: the new name."),
    )
    split_units = forms.CharField(
        label=_("New units (split)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: code | name. People go to the first one."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def source_codes(self) -> list[str]:
        return [c.strip() for c in self.cleaned_data["sources"].split(",") if c.strip()]

    def split_specs(self) -> list[tuple[str, str]]:
        specs = []
        for number, line in enumerate(self.cleaned_data["split_units"].splitlines(), start=1):
            if not line.strip():
                continue
            code, sep, name = line.partition("|")
            if not sep or not code.strip() or not name.strip():
                raise forms.ValidationError(
                    _("New units, line %(n)s: write it as code | name.") % {"n": number}
                )
            specs.append((code.strip(), name.strip()))
        return specs

from django import forms
from django.utils.translation import gettext_lazy as _

from govqms.organizations.models import UnitKind

from .models import AdministrativeProcedure, OnlineLevel, ProcedureLevel


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    field = forms.ChoiceField(label=_("Field"), required=False)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *ProcedureLevel.choices]
    )
    online_level = forms.ChoiceField(
        label=_("Online service"),
        required=False,
        choices=[("", _("All")), *OnlineLevel.choices],
    )

    def __init__(self, *args, fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("All fields"))] + [(f, f) for f in fields]


class ProcedureForm(forms.ModelForm):
    class Meta:
        model = AdministrativeProcedure
        fields = [
            "code",
            "name",
            "field",
            "level",
            "time_limit_days",
            "fees",
            "online_level",
            "legal_basis",
            "announced_by",
            "announced_on",
            "abolished_on",
        ]
        widgets = {
            "announced_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "abolished_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "fees": forms.Textarea(attrs={"rows": 2}),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
        }

    def validate_unique(self):
        """Uniqueness is the service's job (it names the code)."""


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (XLSX or CSV)"))
    dry_run = forms.BooleanField(label=_("Check only, import nothing"), required=False)


class AssignForm(forms.Form):
    """Assign a TTHC: chosen agencies, or every agency of a kind (under a parent)."""

    units = forms.ModelMultipleChoiceField(
        label=_("Agencies"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    kind = forms.ChoiceField(
        label=_("Or every agency of this kind"),
        required=False,
        choices=[("", "—"), *UnitKind.choices],
    )
    assigned_on = forms.DateField(
        label=_("Assigned on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units

    def clean(self):
        data = super().clean()
        if not data.get("units") and not data.get("kind"):
            raise forms.ValidationError(_("Choose agencies, or a kind of agency."))
        return data


class ScopeForm(forms.Form):
    in_scope = forms.BooleanField(label=_("Inside the QMS (ISO scope)"), required=False)
    document = forms.ModelChoiceField(
        label=_("Operational procedure that covers it"), queryset=None, required=False
    )

    def __init__(self, *args, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Channel, DossierStatus, Outcome

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})
SELECT = {"class": "form-select form-select-sm"}


class DossierFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Dossier code"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "type": "search"}),
    )
    procedure = forms.ChoiceField(label=_("TTHC"), required=False, widget=forms.Select(SELECT))
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))] + list(DossierStatus.choices),
        widget=forms.Select(SELECT),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("All"))] + list(Outcome.choices),
        widget=forms.Select(SELECT),
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=[("", _("All"))] + list(Channel.choices),
        widget=forms.Select(SELECT),
    )
    received_from = forms.DateField(label=_("Received from"), required=False, widget=DATE)
    received_to = forms.DateField(label=_("Received to"), required=False, widget=DATE)

    def __init__(self, *args, procedures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", _("All"))] + [
            (code, f"{code} {name}".strip()) for code, name in procedures
        ]


XES = "xes"


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"))
    profile = forms.ChoiceField(
        label=_("Format"),
        help_text=_("A column profile for CSV or XLSX exports, or an IEEE XES event log."),
        widget=forms.Select({"class": "form-select"}),
    )
    lenient = forms.BooleanField(
        label=_("Report events before receipt as warnings instead of refusing the file"),
        required=False,
    )

    def __init__(self, *args, profiles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].choices = [(str(p.pk), p.name) for p in profiles] + [
            (XES, _("IEEE XES event log (.xes, .xes.gz)"))
        ]
        self.fields["file"].widget.attrs["class"] = "form-control"

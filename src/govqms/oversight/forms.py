from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AnnouncementForm(forms.Form):
    decision_number = forms.CharField(label=_("Decision number"), max_length=100)
    decision_date = forms.DateField(
        label=_("Decision date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    scope = forms.CharField(
        label=_("Scope"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    procedures = forms.ModelMultipleChoiceField(
        label=_("Administrative procedures in scope"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    procedure_count = forms.IntegerField(
        label=_("Number of administrative procedures (if not listed)"), required=False, min_value=0
    )
    signed_file = forms.FileField(label=_("Signed decision (PDF)"), required=False)
    posted_at_office = forms.BooleanField(label=_("Posted at the office"), required=False)
    posted_url = forms.URLField(
        label=_("Posted on the website (address)"), required=False, assume_scheme="https"
    )

    def __init__(self, *args, procedures=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedures"].queryset = procedures
        self.fields["procedures"].label_from_instance = lambda p: f"{p.code} {p.name}"


class SignalFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    signal = forms.ChoiceField(label=_("Signal"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("count", _("Most signals first")),
            ("name", pgettext_lazy("sort by", "Agency name")),
        ],
    )

    def __init__(self, *args, signals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signal"].choices = [("", _("All signals"))] + [
            (s.key, s.title) for s in signals
        ]

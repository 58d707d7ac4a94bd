from django import forms
from django.utils.translation import gettext_lazy as _

from .models import IssuedReport

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IssueReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of report"), choices=IssuedReport.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    number = forms.CharField(
        label=_("Number and symbol"),
        max_length=100,
        help_text=_("As registered by the clerical office, e.g. 125/BC-SKHCN."),
    )
    issued_on = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=100)
    authority = forms.CharField(label=_("Parent authority"), max_length=200, required=False)
    issuer = forms.CharField(label=_("Issuing body"), max_length=200)
    addressee = forms.CharField(label=_("Addressed to"), max_length=300, required=False)
    signer_title = forms.CharField(
        label=_("Signer's authority and title"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One line each, e.g. KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC."),
    )
    signer_name = forms.CharField(label=_("Signer"), max_length=200)
    recipients = forms.CharField(
        label=_("Recipients"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One recipient per line."),
    )
    remarks = forms.CharField(
        label=_("Assessment and proposals"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Leave empty for the standard paragraph."),
    )

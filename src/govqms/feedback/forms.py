"""Forms of the complaint pages and of the survey settings. The public survey is
parsed in the view (its questions are data)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Channel

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _bootstrap(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-control")


class ComplaintForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    subject = forms.CharField(label=_("Subject"), max_length=300)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 5}))
    procedure = forms.TypedChoiceField(
        label=_("Administrative procedure"), required=False, coerce=int, empty_value=None
    )
    dossier_code = forms.CharField(label=_("Dossier code"), max_length=100, required=False)
    complainant_name = forms.CharField(
        label=_("Complainant (optional)"), max_length=200, required=False
    )
    complainant_contact = forms.CharField(
        label=_("Contact (optional)"), max_length=200, required=False
    )
    assigned_to = forms.TypedChoiceField(
        label=_("Assigned to"), required=False, coerce=int, empty_value=None
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=DATE,
        help_text=_("Empty: counted in working days from the date received."),
    )

    def __init__(self, *args, procedures=(), users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", "—")] + [
            (p["id"], f"{p['code']} {p['name']}"[:120]) for p in procedures
        ]
        self.fields["assigned_to"].choices = [("", "—")] + [(u.pk, u.display_name) for u in users]
        _bootstrap(self)


class AnswerForm(forms.Form):
    response = forms.CharField(label=_("Response"), widget=forms.Textarea(attrs={"rows": 5}))
    responded_on = forms.DateField(label=_("Responded on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class SettingsForm(forms.Form):
    questions = forms.CharField(
        label=_("Questions (one a line)"), widget=forms.Textarea(attrs={"rows": 7})
    )
    complaint_working_days = forms.IntegerField(
        label=_("Working days to answer a complaint"), min_value=1, max_value=90
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def texts(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["questions"].splitlines() if t.strip()]


class PublicComplaintForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=300)
    content = forms.CharField(
        label=_("Your feedback or recommendation"), widget=forms.Textarea(attrs={"rows": 6})
    )
    procedure = forms.CharField(required=False)
    dossier_code = forms.CharField(
        label=_("Dossier code (optional)"), max_length=100, required=False
    )
    complainant_name = forms.CharField(
        label=_("Your name (optional)"), max_length=200, required=False
    )
    complainant_contact = forms.CharField(
        label=_("Phone or e-mail for the answer (optional)"), max_length=200, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

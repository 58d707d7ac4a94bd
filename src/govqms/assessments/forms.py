"""Forms of the campaign pages (the score tables are read field by field in views)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govqms.organizations.models import UnitKind

from .models import Assessment, Band

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignOpenForm(forms.Form):
    criteria_set = forms.ModelChoiceField(queryset=None, label=_("Criteria set (published)"))
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    reference_date = forms.DateField(
        label=_("Agencies in the remit on"), widget=DATE, required=False
    )
    self_assessment_due = forms.DateField(label=_("Self-assessment due"), widget=DATE)
    appraisal_due = forms.DateField(label=_("Appraisal due"), widget=DATE)
    contest_working_days = forms.IntegerField(
        label=_("Working days to contest"), min_value=1, max_value=60, initial=5
    )

    def __init__(self, *args, sets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria_set"].queryset = sets
        self.fields["criteria_set"].label_from_instance = lambda s: f"{s.year} · {s.title}"
        for name, field in self.fields.items():
            css = "form-select" if name == "criteria_set" else "form-control"
            field.widget.attrs.setdefault("class", css)
            field.widget.attrs.setdefault("id", f"id_{name}")
        if not self.is_bound:
            self.initial.setdefault("reference_date", timezone.localdate())


class CampaignFilterForm(forms.Form):
    q = forms.CharField(required=False, label=_("Search"))
    status = forms.ChoiceField(
        required=False, choices=[("", _("Every status"))] + list(Assessment.Status.choices)
    )
    kind = forms.ChoiceField(required=False, choices=[("", _("Every kind of agency"))])
    band = forms.ChoiceField(required=False, choices=[("", _("Every band"))] + list(Band.choices))

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Every kind of agency"))] + [
            (v, label) for v, label in UnitKind.choices if v in {k for k, _l in kinds}
        ]


class EvidenceForm(forms.Form):
    label = forms.CharField(label=_("Description"), max_length=300)
    url = forms.CharField(label=_("Link to a govqms record"), max_length=500, required=False)
    file = forms.FileField(label=_("or a file (PDF, DOCX, XLSX, JPEG, PNG)"), required=False)


class CampaignEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    self_assessment_due = forms.DateField(label=_("Self-assessment due"), widget=DATE)
    appraisal_due = forms.DateField(label=_("Appraisal due"), widget=DATE)
    contest_working_days = forms.IntegerField(
        label=_("Working days to contest"), min_value=1, max_value=60
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", "form-control")
            field.widget.attrs.setdefault("id", f"id_{name}")

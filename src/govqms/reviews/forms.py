from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ActionStatus, DecisionKind, ManagementReview, ReviewStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeopleChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class PeopleMultiChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class ReviewFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + list(ReviewStatus.choices)
    )
    q = forms.CharField(label=_("Search"), required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, y) for y in years]


class ReviewForm(forms.ModelForm):
    chair = PeopleChoice(label=_("Chair"), queryset=None)
    secretary = PeopleChoice(label=_("Secretary"), queryset=None, required=False)
    attendees = PeopleMultiChoice(
        label=_("Attendees"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ManagementReview
        fields = [
            "title",
            "planned_date",
            "place",
            "chair",
            "secretary",
            "attendees",
            "guests",
            "period_start",
            "period_end",
            "number",
            "external_providers",
            "resources",
        ]
        widgets = {
            "planned_date": DATE,
            "period_start": DATE,
            "period_end": DATE,
            "guests": forms.Textarea(attrs={"rows": 2}),
            "external_providers": forms.Textarea(attrs={"rows": 3}),
            "resources": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "period_start": _("Empty: since the previous review, or the last 12 months."),
            "external_providers": _("Input 9.3.2 c) 7: how suppliers and contractors performed."),
            "resources": _(
                "Input 9.3.2 d): whether people, infrastructure and budget were enough."
            ),
        }

    def __init__(self, *args, people=None, frozen=False, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("chair", "secretary", "attendees"):
            self.fields[name].queryset = people
        self.fields["period_start"].required = False
        self.fields["period_end"].required = False
        if frozen:
            for name in ("period_start", "period_end", "external_providers", "resources"):
                self.fields[name].disabled = True


class HoldForm(forms.Form):
    held_at = forms.DateTimeField(
        label=_("Held at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
    )


class CommentForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Comment or conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MinutesForm(forms.Form):
    number = forms.CharField(label=_("Minutes number"), max_length=60, required=False)


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DecisionKind.choices)
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = PeopleChoice(label=_("Owner"), queryset=None, required=False)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE)
    raise_nonconformity = forms.BooleanField(label=_("Also open a nonconformity"), required=False)

    def __init__(self, *args, people=None, nonconformity=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        if not nonconformity:
            del self.fields["raise_nonconformity"]


class ActionForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    done_on = forms.DateField(label=_("Done on"), required=False, widget=DATE)
    evidence = forms.CharField(
        label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *ActionStatus.choices, ("overdue", _("Overdue"))],
    )
    mine = forms.BooleanField(label=_("Mine only"), required=False)
    q = forms.CharField(label=_("Search"), required=False)

"""Forms of the criteria set pages. They only shape input: the services validate."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import criteria as services
from . import criteria_selectors as selectors
from . import rules
from .models import Band, CriteriaSet

YEAR_HELP = _("The year the agencies are assessed for.")


class Styled:
    """Bootstrap classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            widget = f.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


def _points_input(**attrs):
    return forms.TextInput(attrs={"inputmode": "decimal", **attrs})


class FilterForm(Styled, forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *CriteriaSet.Status.choices],
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, y) for y in years]


class NewSetForm(Styled, forms.Form):
    START_DEFAULT, START_EMPTY = "default", "empty"

    owner = forms.ChoiceField(label=_("Province"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, help_text=YEAR_HELP)
    start = forms.ChoiceField(
        label=_("Start from"),
        choices=[
            (START_DEFAULT, _("The default scheme (100 points, five groups)")),
            (START_EMPTY, _("An empty set")),
        ],
        widget=forms.RadioSelect,
        initial=START_DEFAULT,
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Left empty: “Bộ tiêu chí đánh giá … năm <year>”."),
    )

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owners = {str(o.pk): o for o in owners}
        self.fields["owner"].choices = [(str(o.pk), o.name) for o in owners]
        if len(owners) == 1:
            self.fields["owner"].widget = forms.HiddenInput()
            self.fields["owner"].initial = str(owners[0].pk)

    def clean_owner(self):
        return self.owners[self.cleaned_data["owner"]]


class CopyForm(Styled, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, help_text=YEAR_HELP)
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Left empty: the title of the copied set, with the new year."),
    )


class SetForm(Styled, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        required=False,
        help_text=_("For example the province's decision that issues the criteria."),
    )


class GroupForm(Styled, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("For example 1, 2, I, II."))
    title = forms.CharField(label=_("Title"), max_length=300)
    order = forms.IntegerField(
        label=_("Order"),
        required=False,
        min_value=0,
        max_value=32767,
        help_text=_("Left empty: after the last group."),
    )


def param_field_name(rule_key: str, param_name: str) -> str:
    return f"param__{rule_key}__{param_name}"


class CriterionForm(Styled, forms.Form):
    group = forms.ChoiceField(label=_("Group"))
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("For example 1.1"))
    text = forms.CharField(label=_("Criterion"), widget=forms.Textarea(attrs={"rows": 3}))
    guidance = forms.CharField(
        label=_("Guidance"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the criterion is scored, for agencies and appraisers."),
    )
    evidence_expected = forms.CharField(
        label=_("Evidence expected"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    max_points = forms.CharField(label=_("Maximum points"), widget=_points_input())
    order = forms.IntegerField(
        label=_("Order in the group"),
        required=False,
        min_value=0,
        max_value=32767,
        help_text=_("Left empty: after the last criterion of the group."),
    )
    rule = forms.ChoiceField(
        label=_("Auto-scoring rule"),
        required=False,
        help_text=_(
            "A rule proposes the score from govqms's own records; the agency keeps or "
            "changes it and the DoST appraises."
        ),
    )

    def __init__(self, *args, groups=(), criterion=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {str(g.pk): g for g in groups}
        self.fields["group"].choices = [(str(g.pk), str(g)) for g in groups]
        self.fields["rule"].choices = [("", _("None: scored by hand"))] + [
            (k, label) for k, label in selectors.rule_choices()
        ]
        self.fields["rule"].widget.attrs["data-rule-picker"] = "1"
        # One input per parameter of each rule; the page shows the chosen rule's.
        given = (criterion.rule_params or {}) if criterion is not None else {}
        self.param_fields: dict[str, list[str]] = {}
        for key, rule in sorted(rules.RULES.items()):
            names = []
            for p in rule.params:
                name = param_field_name(key, p.name)
                initial = p.default
                if criterion is not None and criterion.rule == key and p.name in given:
                    initial = given[p.name]
                self.fields[name] = forms.CharField(
                    label=p.label,
                    required=False,
                    initial=initial,
                    widget=_points_input(placeholder=str(p.default), **{"class": "form-control"}),
                    help_text=_("Default: %(value)s") % {"value": p.default},
                )
                names.append(name)
            self.param_fields[key] = names

    def base_fields_list(self):
        return [self[n] for n in self.fields if not n.startswith("param__")]

    def rule_params_groups(self):
        """[(rule key, rule label, description, [bound fields])] for the template."""
        out = []
        for key, names in self.param_fields.items():
            rule = rules.RULES[key]
            out.append((key, rule.label, rule.description, [self[n] for n in names]))
        return out

    def clean_group(self):
        value = self.cleaned_data["group"]
        if value not in self.groups:
            raise forms.ValidationError(_("Choose a group of this criteria set."))
        return self.groups[value]

    def rule_params(self) -> dict:
        """The chosen rule's parameters as typed (the service converts and checks)."""
        key = self.cleaned_data.get("rule") or ""
        out = {}
        prefix = f"param__{key}__"
        for name in self.param_fields.get(key, []):
            value = (self.cleaned_data.get(name) or "").strip()
            if value != "":
                out[name[len(prefix) :]] = value
        return out


class BandsForm(Styled, forms.Form):
    def __init__(self, *args, bands=(), **kwargs):
        super().__init__(*args, **kwargs)
        current = {b.band: services.points_text(b.min_points) for b in bands}
        for value, label in Band.choices:
            self.fields[value] = forms.CharField(
                label=label,
                required=False,
                initial=current.get(value, ""),
                widget=_points_input(),
            )

    def bands(self) -> dict:
        return {value: self.cleaned_data.get(value) or None for value, _label in Band.choices}


class ImportForm(Styled, forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_(
            "A workbook exported from a criteria set, edited: its groups, criteria and "
            "bands replace those of this draft."
        ),
    )

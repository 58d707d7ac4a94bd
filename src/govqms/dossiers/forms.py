from django import forms
from django.core.exceptions import ValidationError
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


# ---------------------------------------------------------------- import profiles

from .profiles import (  # noqa: E402
    DATE_FORMAT_KEY,
    DATE_FORMATS,
    DEFAULT_DATE_FORMAT,
    DOSSIER_TARGETS,
    EVENT_TARGETS,
    REQUIRED_TARGETS,
    VALUE_MAP_TARGETS,
    date_format_label,
    target_label,
)

TEXT = {"class": "form-control form-control-sm"}


class ProfileSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name"),
        required=False,
        widget=forms.TextInput({**TEXT, "type": "search"}),
    )


def _value_lines(table: dict | None) -> str:
    return "\n".join(f"{a} = {b}" for a, b in (table or {}).items())


class ProfileForm(forms.Form):
    """A profile: its name and format, the column of the file that feeds each field
    (`col_<field>`), the date format and the value maps, one "value = ours" a line."""

    name = forms.CharField(label=_("Profile name"), max_length=120, widget=forms.TextInput(TEXT))
    format = forms.ChoiceField(
        label=_("File format"),
        choices=[("csv", "CSV"), ("xlsx", "XLSX")],
        widget=forms.Select(SELECT),
    )
    date_format = forms.ChoiceField(
        label=_("Date format"),
        help_text=_(
            "How dates written as text are read. Dates of an Excel cell are read as they are."
        ),
        widget=forms.Select(SELECT),
    )
    kind_values = forms.CharField(
        label=_("Status codes or event words → event kind"),
        required=False,
        widget=forms.Textarea({**TEXT, "rows": 6, "spellcheck": "false"}),
    )
    status_values = forms.CharField(
        label=_("Dossier status values → status"),
        required=False,
        widget=forms.Textarea({**TEXT, "rows": 3, "spellcheck": "false"}),
    )
    channel_values = forms.CharField(
        label=_("Channel values → channel"),
        required=False,
        widget=forms.Textarea({**TEXT, "rows": 3, "spellcheck": "false"}),
    )

    VALUE_FIELDS = {t: f"{t}_values" for t in VALUE_MAP_TARGETS}

    def __init__(self, *args, profile=None, unit=None, **kwargs):
        self.profile, self.unit = profile, unit
        initial = kwargs.pop("initial", None) or {}
        if profile is not None:
            initial = {
                "name": profile.name,
                "format": profile.format,
                "date_format": (profile.value_maps or {}).get(DATE_FORMAT_KEY, DEFAULT_DATE_FORMAT),
                **{f"col_{t}": c for t, c in (profile.mapping or {}).items()},
                **{
                    f"{t}_values": _value_lines((profile.value_maps or {}).get(t))
                    for t in VALUE_MAP_TARGETS
                },
            }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["date_format"].choices = [(c, date_format_label(c)) for c in DATE_FORMATS]
        for target in DOSSIER_TARGETS + EVENT_TARGETS:
            self.fields[f"col_{target}"] = forms.CharField(
                label=target_label(target),
                required=False,
                max_length=200,
                widget=forms.TextInput({**TEXT, "placeholder": _("column header")}),
            )
        if profile is not None and profile.builtin:
            self.fields["name"].disabled = True
        self.dossier_columns = [self[f"col_{t}"] for t in DOSSIER_TARGETS]
        self.event_columns = [self[f"col_{t}"] for t in EVENT_TARGETS]
        self.required_targets = set(REQUIRED_TARGETS)
        for target in REQUIRED_TARGETS:
            self.fields[f"col_{target}"].widget.attrs["aria-required"] = "true"

    def _lines(self, name):
        table, problems = {}, []
        for number, line in enumerate((self.cleaned_data.get(name) or "").splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            source, sep, ours = line.partition("=")
            source, ours = source.strip(), ours.strip()
            if not sep or not source or not ours:
                problems.append(
                    _("Line %(n)d: write “value in the file = value here”.") % {"n": number}
                )
            elif source in table:
                problems.append(
                    _("Line %(n)d: “%(value)s” is given twice.") % {"n": number, "value": source}
                )
            else:
                table[source] = ours
        for problem in problems:
            self.add_error(name, problem)
        return table

    def clean(self):
        data = super().clean()
        self.value_maps = {t: self._lines(f) for t, f in self.VALUE_FIELDS.items()}
        self.value_maps[DATE_FORMAT_KEY] = data.get("date_format") or DEFAULT_DATE_FORMAT
        self.mapping = {t: data.get(f"col_{t}") or "" for t in DOSSIER_TARGETS + EVENT_TARGETS}
        # Every problem at once: the service's checks too (it checks again on saving).
        from .services.profiles import check_values

        try:
            check_values(
                unit=self.unit,
                profile=self.profile,
                name=data.get("name"),
                fmt=data.get("format"),
                mapping=self.mapping,
                value_maps=self.value_maps,
            )
        except ValidationError as exc:
            self.add_service_errors(exc)
        return data

    def add_service_errors(self, exc):
        """Put a service's ValidationError on the fields it names."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc.messages)
            return
        for key, errors in exc.error_dict.items():
            if key in self.fields:
                field = key
            elif f"col_{key}" in self.fields:
                field = f"col_{key}"
            else:
                field = None
            for error in errors:
                if field is None or field not in self.errors:  # not twice on one field
                    self.add_error(field, error.messages)

"""Pages of the model framework: the DoST's console (frameworks, versions, templates,
publishing, adoption across agencies) and an agency's side (adopt, drift, template
updates and bringing them into a draft). Thin: parse, call a selector or service,
render."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from govqms.organizations import selectors as org

from .diff import ROW_FIELDS
from .forms import BootstrapMixin, save_form
from .models import DocumentKind
from .selectors import documents as doc_selectors
from .selectors import framework as selectors
from .services import framework as services

# ---------------------------------------------------------------- forms


class FrameworkForm(BootstrapMixin, forms.Form):
    publisher = forms.ModelChoiceField(label=gettext_lazy("Published by"), queryset=None)
    code = forms.CharField(label=gettext_lazy("Code"), max_length=40)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, publishers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publisher"].queryset = publishers
        if publishers.count() == 1:
            self.fields["publisher"].initial = publishers.first()
        self._style()


class NoteForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What changed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


def _table_help(columns: str):
    return format_lazy("{} {}", gettext_lazy("One row per line, columns separated by |:"), columns)


def _lines_to_rows(text: str, columns: list[str], numeric=()) -> list[dict]:
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > len(columns):
            raise ValidationError(
                _("Line %(n)s has %(got)s columns; at most %(max)s are expected.")
                % {"n": number, "got": len(cells), "max": len(columns)}
            )
        cells += [""] * (len(columns) - len(cells))
        row = dict(zip(columns, cells, strict=True))
        for name in numeric:
            value = row[name].replace(",", ".")
            if not value:
                row[name] = None
                continue
            try:
                number_value = float(value)
            except ValueError:
                raise ValidationError(
                    _("Line %(n)s: %(value)s is not a number of hours.")
                    % {"n": number, "value": row[name]}
                ) from None
            row[name] = int(number_value) if number_value.is_integer() else number_value
        rows.append(row)
    return rows


def _rows_to_lines(rows, columns) -> str:
    lines = []
    for row in rows or []:
        if not isinstance(row, dict):
            row = {columns[0]: row}
        cells = ["" if row.get(c) is None else str(row.get(c)) for c in columns]
        lines.append(" | ".join(cells).rstrip(" |"))
    return "\n".join(lines)


STEP_COLUMNS = ROW_FIELDS["steps"]
FORM_COLUMNS = ROW_FIELDS["forms"]
RECORD_COLUMNS = ROW_FIELDS["records"]
TEXT_SECTIONS = ["purpose", "scope", "legal_basis", "processing_time", "fees", "body"]


class TemplateForm(BootstrapMixin, forms.Form):
    key = forms.CharField(
        label=gettext_lazy("Template key"),
        max_length=40,
        required=False,
        help_text=gettext_lazy(
            "Stays the same in every version of the framework; made from the code if empty."
        ),
    )
    code = forms.CharField(label=gettext_lazy("Code"), max_length=40)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=DocumentKind.choices)
    purpose = forms.CharField(
        label=gettext_lazy("1. Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    scope = forms.CharField(
        label=gettext_lazy("2. Scope"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    references = forms.CharField(
        label=gettext_lazy("3. References"),
        required=False,
        help_text=gettext_lazy("One per line."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    legal_basis = forms.CharField(
        label=gettext_lazy("5.1 Legal basis"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    processing_time = forms.CharField(
        label=gettext_lazy("5.4 Processing time"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    fees = forms.CharField(
        label=gettext_lazy("5.6 Fees"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    steps = forms.CharField(
        label=gettext_lazy("5.7 Steps"),
        required=False,
        help_text=_table_help("step | name | responsible | hours | form"),
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control font-monospace small"}),
    )
    forms_table = forms.CharField(
        label=gettext_lazy("6. Forms"),
        required=False,
        help_text=_table_help("code | name"),
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control font-monospace small"}),
    )
    records = forms.CharField(
        label=gettext_lazy("7. Records to keep"),
        required=False,
        help_text=_table_help("record | keeper | retention"),
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control font-monospace small"}),
    )
    body = forms.CharField(
        label=gettext_lazy("Content"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, with_key=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_key:
            del self.fields["key"]
        self._style()

    @classmethod
    def initial_for(cls, template) -> dict:
        content = template.content or {}
        initial = {"code": template.code, "title": template.title, "kind": template.kind}
        for key in TEXT_SECTIONS:
            initial[key] = content.get(key) or ""
        initial["references"] = "\n".join(str(r) for r in content.get("references") or [])
        initial["steps"] = _rows_to_lines(content.get("steps"), STEP_COLUMNS)
        initial["forms_table"] = _rows_to_lines(content.get("forms"), FORM_COLUMNS)
        initial["records"] = _rows_to_lines(content.get("records"), RECORD_COLUMNS)
        return initial

    def _table(self, name, columns, numeric=()):
        try:
            return _lines_to_rows(self.cleaned_data.get(name, ""), columns, numeric)
        except ValidationError as error:
            raise ValidationError({name: error.messages}) from None

    def clean(self):
        data = super().clean()
        self.rows = {
            "steps": self._table("steps", STEP_COLUMNS, numeric=("hours",)),
            "forms": self._table("forms_table", FORM_COLUMNS),
            "records": self._table("records", RECORD_COLUMNS),
        }
        return data

    def content(self, base: dict | None = None) -> dict:
        """The template's content with the edited sections replaced (others kept)."""
        content = dict(base or {})
        for key in TEXT_SECTIONS:
            content[key] = self.cleaned_data.get(key, "").strip()
        content["references"] = [
            line.strip()
            for line in self.cleaned_data.get("references", "").splitlines()
            if line.strip()
        ]
        content.update(self.rows)
        return content


class AdoptForm(forms.Form):
    code = forms.CharField(max_length=40, required=False)


def _posted(request):
    """The POST data to bind a form to, or None (an empty POST still binds)."""
    return request.POST if request.method == "POST" else None


# ---------------------------------------------------------------- the DoST's console


@login_required
def framework_list(request):
    selectors.require_framework_admin(request.user)
    frameworks = selectors.managed_frameworks(request.user).prefetch_related("versions")
    rows = []
    for framework in frameworks.order_by("code"):
        published, draft = selectors.newest_versions(framework)
        rows.append({"framework": framework, "published": published, "draft": draft})
    return render(request, "documents/framework/list.html", {"rows": rows})


@login_required
def framework_create(request):
    selectors.require_framework_admin(request.user)
    form = FrameworkForm(_posted(request), publishers=selectors.publisher_choices(request.user))
    framework = save_form(
        request,
        form,
        lambda: services.create_framework(
            request.user,
            publisher=form.cleaned_data["publisher"],
            code=form.cleaned_data["code"],
            title=form.cleaned_data["title"],
            note=form.cleaned_data["note"],
        ),
    )
    if framework is not None:
        messages.success(request, _("Framework created with a draft version 1."))
        return redirect("framework_detail", framework.pk)
    return render(
        request,
        "documents/framework/form.html",
        {"form": form, "heading": _("New model framework"), "back": reverse("framework_list")},
    )


@login_required
def framework_detail(request, pk):
    framework = selectors.get_managed_framework(request.user, pk)
    versions = list(framework.versions.order_by("-version_no"))
    selected = None
    wanted = request.GET.get("version")
    if wanted:
        selected = next((v for v in versions if str(v.pk) == wanted), None)
        if selected is None:
            raise Http404("No such framework version.")
    selected = selected or (versions[0] if versions else None)
    changes = None
    if selected is not None:
        changes = selectors.version_changes(
            selectors.previous_published(selected)
            if selected.is_published
            else selectors.latest_published(framework),
            selected,
        )
    return render(
        request,
        "documents/framework/detail.html",
        {
            "framework": framework,
            "versions": versions,
            "selected": selected,
            "templates": selectors.ordered_templates(selected) if selected else [],
            "changes": changes,
            "has_draft": any(not v.is_published for v in versions),
        },
    )


@login_required
def framework_version_create(request, pk):
    framework = selectors.get_managed_framework(request.user, pk)
    form = NoteForm(_posted(request))
    version = save_form(
        request,
        form,
        lambda: services.create_draft_version(
            request.user, framework, note=form.cleaned_data["note"]
        ),
    )
    if version is not None:
        messages.success(
            request,
            _("Draft version %(n)s created from the latest version's templates.")
            % {"n": version.version_no},
        )
        return redirect(_version_url(version))
    return render(
        request,
        "documents/framework/form.html",
        {
            "form": form,
            "framework": framework,
            "heading": _("New draft version"),
            "intro": _(
                "The draft starts as a copy of the latest version's templates. Agencies see it "
                "only once it is published."
            ),
            "back": reverse("framework_detail", args=[framework.pk]),
        },
    )


def _version_url(version) -> str:
    return f"{reverse('framework_detail', args=[version.framework_id])}?version={version.pk}"


@login_required
def framework_version_publish(request, pk):
    version = selectors.get_managed_version(request.user, pk)
    if version.is_published:
        messages.info(request, _("This version is already published."))
        return redirect(_version_url(version))
    form = NoteForm(_posted(request), initial={"note": version.note})
    published = save_form(
        request,
        form,
        lambda: services.publish_version(request.user, version, note=form.cleaned_data["note"]),
    )
    if published is not None:
        messages.success(
            request,
            _(
                "Version %(n)s published: agencies see it, and adopters of changed "
                "templates are told."
            )
            % {"n": version.version_no},
        )
        return redirect(_version_url(version))
    previous = selectors.latest_published(version.framework)
    return render(
        request,
        "documents/framework/publish.html",
        {
            "form": form,
            "version": version,
            "framework": version.framework,
            "previous": previous,
            "changes": selectors.version_changes(previous, version),
        },
    )


def _draft_or_redirect(request, version):
    if version.is_published:
        messages.error(
            request,
            _("A published framework version is frozen: start a new version to change it."),
        )
        return redirect(_version_url(version))
    return None


@login_required
def framework_template_create(request, pk):
    version = selectors.get_managed_version(request.user, pk)
    if (response := _draft_or_redirect(request, version)) is not None:
        return response
    form = TemplateForm(_posted(request), initial={"kind": DocumentKind.OPERATIONAL_PROCEDURE})
    template = save_form(
        request,
        form,
        lambda: services.add_template(
            request.user,
            version,
            key=form.cleaned_data["key"],
            code=form.cleaned_data["code"],
            title=form.cleaned_data["title"],
            kind=form.cleaned_data["kind"],
            content=form.content(),
        ),
    )
    if template is not None:
        messages.success(request, _("Template %(code)s added.") % {"code": template.code})
        return redirect(_version_url(version))
    return _template_form_page(request, form, version, None)


def _template_form_page(request, form, version, template):
    return render(
        request,
        "documents/framework/template_form.html",
        {"form": form, "version": version, "framework": version.framework, "template": template},
    )


@login_required
def framework_template_admin(request, pk):
    template = selectors.get_managed_template(request.user, pk)
    version = template.framework_version
    return render(
        request,
        "documents/framework/template_admin.html",
        {"template": template, "version": version, "framework": version.framework},
    )


@login_required
def framework_template_edit(request, pk):
    template = selectors.get_managed_template(request.user, pk)
    version = template.framework_version
    if (response := _draft_or_redirect(request, version)) is not None:
        return response
    form = TemplateForm(
        _posted(request), initial=TemplateForm.initial_for(template), with_key=False
    )
    saved = save_form(
        request,
        form,
        lambda: services.update_template(
            request.user,
            template,
            code=form.cleaned_data["code"],
            title=form.cleaned_data["title"],
            kind=form.cleaned_data["kind"],
            content=form.content(template.content),
        ),
    )
    if saved is not None:
        messages.success(request, _("Template %(code)s saved.") % {"code": template.code})
        return redirect(_version_url(version))
    return _template_form_page(request, form, version, template)


@login_required
def framework_template_delete(request, pk):
    template = selectors.get_managed_template(request.user, pk)
    version = template.framework_version
    if (response := _draft_or_redirect(request, version)) is not None:
        return response
    if request.method == "POST":
        try:
            services.remove_template(request.user, template)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Template %(code)s removed.") % {"code": template.code})
        return redirect(_version_url(version))
    return render(
        request,
        "documents/framework/template_delete.html",
        {"template": template, "version": version, "framework": version.framework},
    )


@login_required
def framework_adoption(request):
    """For the DoST: per framework, which agencies adopted it and how far they drift."""
    if not org.is_oversight_user(request.user):
        raise PermissionDenied
    frameworks = selectors.overseen_frameworks(request.user)
    framework = None
    wanted = request.GET.get("framework")
    if wanted:
        framework = frameworks.filter(pk=wanted).first() if wanted.isdigit() else None
        if framework is None:
            raise Http404("No such framework.")
    framework = framework or frameworks.order_by("publisher__path", "code").first()
    if framework is not None:
        units = selectors.framework_agencies(request.user, framework)
    else:
        units = org.supervised_units(request.user, in_remit=True).exclude(kind="dost")
    page = Paginator(units.order_by("path"), 50).get_page(request.GET.get("page"))
    if framework is not None:
        rows = selectors.adoption_rows(framework, page.object_list)
        adopters = selectors.adopter_count(request.user, framework)
    else:
        rows = [{"unit": u, "adopted": 0, "drifted": 0, "updates": 0} for u in page.object_list]
        adopters = 0
    latest = selectors.latest_published(framework) if framework else None
    return render(
        request,
        "documents/framework/adoption.html",
        {
            "frameworks": frameworks.order_by("publisher__path", "code"),
            "framework": framework,
            "latest": latest,
            "template_count": latest.templates.count() if latest else 0,
            "rows": rows,
            "page": page,
            "agency_count": units.count(),
            "query_string": f"framework={framework.pk}" if framework else "",
            "adopters": adopters,
            "can_manage": framework is not None
            and request.user.has_perm("documents.manage_framework", framework),
        },
    )


# ---------------------------------------------------------------- an agency's side


def _unit(request, unit_pk, what):
    return org.get_internal_unit(request.user, unit_pk, what=what)


def _require_edit(request, unit):
    if not request.user.has_perm("documents.edit", unit):
        raise PermissionDenied


@login_required
def framework_agency(request, unit_pk):
    unit = _unit(request, unit_pk, "model framework: adoption")
    return render(
        request,
        "documents/framework/agency.html",
        {
            "unit": unit,
            "catalogue": selectors.unit_catalogue(unit),
            "updates": selectors.template_updates(request.user, unit),
            "can_adopt": request.user.has_perm("documents.edit", unit) and unit.is_active,
            "is_oversight_view": not org.is_member_of(request.user, unit),
        },
    )


@login_required
def framework_template(request, unit_pk, pk):
    unit = _unit(request, unit_pk, "model framework: template")
    template = selectors.get_unit_template(request.user, unit, pk)
    return render(
        request,
        "documents/framework/template.html",
        {
            "unit": unit,
            "template": template,
            "version": template.framework_version,
            "framework": template.framework_version.framework,
            "adopted": selectors.already_adopted(unit, template),
            "newest": selectors.newest_template(template),
            "can_adopt": request.user.has_perm("documents.edit", unit) and unit.is_active,
            "is_oversight_view": not org.is_member_of(request.user, unit),
        },
    )


@login_required
@require_POST
def framework_adopt(request, unit_pk, pk):
    unit = _unit(request, unit_pk, "model framework: adopt")
    _require_edit(request, unit)
    template = selectors.get_unit_template(request.user, unit, pk)
    form = AdoptForm(request.POST)
    code = form.cleaned_data["code"] if form.is_valid() else None
    try:
        document = services.adopt(request.user, template, unit, code=code)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Adopted as %(code)s: its draft issue 1 is yours to adapt.")
            % {"code": document.code},
        )
    return redirect("framework_agency", unit.pk)


@login_required
@require_POST
def framework_adopt_all(request, unit_pk, pk):
    unit = _unit(request, unit_pk, "model framework: adopt all")
    _require_edit(request, unit)
    version = selectors.get_unit_version(request.user, unit, pk)
    try:
        result = services.adopt_all(request.user, version, unit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = _("%(n)s templates adopted.") % {"n": len(result.adopted)}
        if result.already:
            text += " " + _("%(n)s were already adopted.") % {"n": len(result.already)}
        if result.code_taken:
            text += " " + _(
                "Skipped because the code is already used by another document: %(codes)s."
            ) % {"codes": ", ".join(t.code for t in result.code_taken)}
        messages.success(request, text)
    return redirect("framework_agency", unit.pk)


@login_required
def framework_drift(request, unit_pk):
    unit = _unit(request, unit_pk, "model framework: drift report")
    drifts = selectors.unit_drift(request.user, unit)
    return render(
        request,
        "documents/framework/drift.html",
        {
            "unit": unit,
            "drifts": drifts,
            "unchanged": sum(1 for d in drifts if d.unchanged),
            "updates": {d.pk for d, _new in selectors.template_updates(request.user, unit)},
            "is_oversight_view": not org.is_member_of(request.user, unit),
        },
    )


@login_required
def framework_drift_detail(request, unit_pk, pk):
    unit = _unit(request, unit_pk, "model framework: drift report")
    document = selectors.get_adopted_document(request.user, unit, pk)
    return render(
        request,
        "documents/framework/drift_detail.html",
        {
            "unit": unit,
            "document": document,
            "drift": selectors.document_drift(document),
            "update": selectors.template_update(document),
            "is_oversight_view": not org.is_member_of(request.user, unit),
        },
    )


def _ours(document):
    version = doc_selectors.open_version(document) or selectors.compared_version(document)
    return version, (version.content if version else {})


@login_required
def framework_update(request, unit_pk, pk):
    unit = _unit(request, unit_pk, "model framework: template update")
    document = selectors.get_adopted_document(request.user, unit, pk)
    update = selectors.template_update(document)
    plan = ours_version = None
    if update is not None:
        ours_version, ours = _ours(document)
        plan = selectors.merge_plan(update.old.content, update.new.content, ours)
    open_version = doc_selectors.open_version(document)
    return render(
        request,
        "documents/framework/update.html",
        {
            "unit": unit,
            "document": document,
            "update": update,
            "plan": plan,
            "ours_version": ours_version,
            "blocked": open_version is not None and not open_version.is_editable,
            "can_merge": request.user.has_perm("documents.edit", document),
            "is_oversight_view": not org.is_member_of(request.user, unit),
        },
    )


@login_required
@require_POST
def framework_merge(request, unit_pk, pk):
    unit = _unit(request, unit_pk, "model framework: bring changes in")
    _require_edit(request, unit)
    document = selectors.get_adopted_document(request.user, unit, pk)
    update = selectors.template_update(document)
    if update is None:
        messages.info(request, _("This document already follows the newest template."))
        return redirect("framework_update", unit.pk, document.pk)
    try:
        result = services.merge_template_update(request.user, document, update.new)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("framework_update", unit.pk, document.pk)
    return render(
        request,
        "documents/framework/merge_result.html",
        {"unit": unit, "document": document, "update": update, "result": result},
    )

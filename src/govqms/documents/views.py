"""Pages of the document register and of a version's life: thin views over
`selectors.documents` and `services.versions`."""

import io

import xlsxwriter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govqms.organizations import selectors as org

from . import diff as content_diff
from .forms import (
    DecideForm,
    DocumentForm,
    EffectiveForm,
    RegisterFilterForm,
    ReviseForm,
    StepsForm,
    SubmitForm,
    VersionTextForm,
    WithdrawForm,
    rows_from_formset,
    table_formsets,
)
from .models import DocumentKind, VersionStatus
from .selectors import awareness as reading
from .selectors import documents as docs
from .services import versions

TEXT_KEYS = [
    "purpose",
    "scope",
    "legal_basis",
    "conditions",
    "processing_time",
    "where",
    "fees",
    "body",
]


def _error_text(exc) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


def _register_queryset(request, unit):
    owners = docs.agency_people(request.user, unit)
    form = RegisterFilterForm(request.GET or None, owners=owners)
    filters = form.cleaned_data if form.is_valid() else {}
    documents = docs.register(
        request.user,
        unit,
        kind=filters.get("kind") or None,
        status=filters.get("status") or None,
        owner=filters.get("owner") or None,
        due_for_review=bool(filters.get("due")),
        query=filters.get("q"),
    )
    return form, documents


@login_required
def register(request, unit_pk):
    """The agency's document register: filters, search, pagination, export."""
    unit = org.get_internal_unit(request.user, unit_pk, what="document register")
    form, documents = _register_queryset(request, unit)
    page = Paginator(documents, 30).get_page(request.GET.get("page"))
    rows = docs.register_rows(page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "documents/register.html",
        {
            "unit": unit,
            "form": form,
            "page": page,
            "rows": rows,
            "total": documents.count(),
            "query_string": params.urlencode(),
            "can_edit": request.user.has_perm("documents.edit", unit) and unit.is_active,
            "today": timezone.localdate(),
        },
    )


@login_required
def register_export(request, unit_pk):
    """The register as XLSX, with the same filters as the page."""
    unit = org.get_internal_unit(request.user, unit_pk, what="document register export")
    _form, documents = _register_queryset(request, unit)
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet(_("Documents")[:31])
    bold = book.add_format({"bold": True, "bg_color": "#EEEEEE", "border": 1, "text_wrap": True})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    headers = [
        _("Code"),
        _("Title"),
        _("Kind"),
        _("Owning division"),
        _("Process owner"),
        _("Current issue"),
        _("Effective from"),
        _("Version in progress"),
        _("Next review due"),
    ]
    sheet.write_row(0, 0, headers, bold)
    for row_number, row in enumerate(
        docs.register_rows(documents.iterator(chunk_size=500)), start=1
    ):
        document, current, open_version = row["document"], row["current"], row["open"]
        sheet.write(row_number, 0, document.code)
        sheet.write(row_number, 1, document.title)
        sheet.write(row_number, 2, document.get_kind_display())
        sheet.write(row_number, 3, document.division)
        sheet.write(row_number, 4, document.owner.display_name if document.owner else "")
        sheet.write(row_number, 5, current.issue_no if current else "")
        if current and current.effective_from:
            sheet.write_datetime(row_number, 6, current.effective_from, date_format)
        sheet.write(row_number, 7, open_version.get_status_display() if open_version else "")
        if document.next_review_due:
            sheet.write_datetime(row_number, 8, document.next_review_due, date_format)
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 60)
    sheet.set_column(2, 8, 18)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(documents.count(), 1), len(headers) - 1)
    book.close()
    response = HttpResponse(
        output.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="tai-lieu-{unit.code}.xlsx"'
    return response


def _document_form_data(form):
    data = form.cleaned_data
    return {
        "code": data["code"],
        "title": data["title"],
        "kind": data["kind"],
        "division": data["division"],
        "owner": form.chosen_owner(),
        "review_interval_months": data["review_interval_months"],
        "audience_roles": data["audience_roles"],
        "audience_divisions": form.divisions(),
    }


@login_required
def document_create(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="new document")
    if not request.user.has_perm("documents.edit", unit):
        raise PermissionDenied
    form = DocumentForm(request.POST or None, people=docs.agency_people(request.user, unit))
    if request.method == "POST" and form.is_valid():
        try:
            document = versions.create_document(
                request.user, unit=unit, **_document_form_data(form)
            )
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("The document was created with a first draft."))
            return redirect("version_edit", document.versions.get().pk)
    return render(request, "documents/document_form.html", {"unit": unit, "form": form})


@login_required
def document_edit(request, pk):
    document = docs.get_document(request.user, pk)
    if not request.user.has_perm("documents.edit", document):
        raise PermissionDenied
    initial = {
        "code": document.code,
        "title": document.title,
        "kind": document.kind,
        "division": document.division,
        "owner": document.owner_id or "",
        "review_interval_months": document.review_interval_months,
        "audience_roles": document.audience_roles,
        "audience_divisions": ", ".join(document.audience_divisions),
    }
    form = DocumentForm(
        request.POST or None,
        initial=initial,
        people=docs.agency_people(request.user, document.unit),
    )
    if request.method == "POST" and form.is_valid():
        try:
            versions.update_document(request.user, document, **_document_form_data(form))
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("document_detail", document.pk)
    return render(
        request,
        "documents/document_form.html",
        {"unit": document.unit, "form": form, "document": document},
    )


@login_required
def document_detail(request, pk):
    document = docs.get_document(request.user, pk)
    all_versions = list(document.versions.order_by("-issue_no"))
    open_version = docs.open_version(document)
    return render(
        request,
        "documents/document_detail.html",
        {
            "document": document,
            "unit": document.unit,
            "versions": all_versions,
            "current": docs.current_version(document),
            "open_version": open_version,
            "can_edit": request.user.has_perm("documents.edit", document),
            "can_publish": request.user.has_perm("documents.publish", document),
            "revise_form": ReviseForm(),
            "withdraw_form": WithdrawForm(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def document_revise(request, pk):
    document = docs.get_document(request.user, pk)
    if not request.user.has_perm("documents.edit", document):
        raise PermissionDenied
    form = ReviseForm(request.POST)
    if form.is_valid():
        try:
            version = versions.start_revision(request.user, document, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request, _("Issue %(n)s started as a draft.") % {"n": version.issue_no}
            )
            return redirect("version_edit", version.pk)
    else:
        messages.error(request, _("Describe the change."))
    return redirect("document_detail", document.pk)


@login_required
@require_POST
def document_withdraw(request, pk):
    document = docs.get_document(request.user, pk)
    if not request.user.has_perm("documents.publish", document):
        raise PermissionDenied
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason for withdrawing the document."))
        versions.withdraw(request.user, document, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The document was withdrawn."))
    return redirect("document_detail", document.pk)


@login_required
def version_detail(request, pk):
    version = docs.get_version(request.user, pk)
    document = version.document
    user = request.user
    others = document.versions.exclude(pk=version.pk).order_by("-issue_no")
    return render(
        request,
        "documents/version_detail.html",
        {
            "version": version,
            "document": document,
            "unit": document.unit,
            "content": version.content,
            "steps": versions.step_state(version),
            "drafted": docs.drafted_signoff(version),
            "approvals": version.approvals.order_by("at", "pk"),
            "change_log": versions.change_log(version),
            "current_step": versions.current_step(version),
            "can_edit": version.is_editable and user.has_perm("documents.edit", version),
            "can_sign": versions.can_sign(user, version),
            "can_publish": version.status == VersionStatus.APPROVED
            and user.has_perm("documents.publish", version),
            "others": others,
            "submit_form": SubmitForm(),
            "decide_form": DecideForm(),
            "effective_form": EffectiveForm(initial={"effective_from": timezone.localdate()}),
            "is_procedure": document.is_procedure,
            "kinds": DocumentKind,
            "progress": reading.reading_progress(version),
            "attachment_count": version.attachments.count(),
        },
    )


@login_required
def version_edit(request, pk):
    """Edit a draft as structured content: text sections and the tables."""
    version = docs.get_version(request.user, pk)
    if not request.user.has_perm("documents.edit", version):
        raise PermissionDenied
    if not version.is_editable:
        messages.error(request, _("Only a draft can be changed. Start a new issue instead."))
        return redirect("version_detail", version.pk)
    content = version.content
    initial = {key: content.get(key, "") for key in TEXT_KEYS}
    initial["change_note"] = version.change_note
    initial["legal_references"] = list(version.legal_references.all())
    if request.method == "POST":
        text_form = VersionTextForm(request.POST, initial=initial)
        formsets = table_formsets(request.POST)
        if text_form.is_valid() and all(f.is_valid() for f in formsets):
            new_content = dict(content)
            new_content.update({key: text_form.cleaned_data[key] for key in TEXT_KEYS})
            for formset in formsets:
                new_content[formset.key] = rows_from_formset(formset)
            try:
                versions.edit_draft(
                    request.user,
                    version,
                    content=new_content,
                    change_note=text_form.cleaned_data["change_note"],
                    legal_references=text_form.cleaned_data["legal_references"],
                )
            except ValidationError as exc:
                text_form.add_error(None, _error_text(exc))
            else:
                messages.success(request, _("Draft saved."))
                return redirect("version_detail", version.pk)
    else:
        text_form = VersionTextForm(initial=initial)
        formsets = table_formsets(content=content)
    return render(
        request,
        "documents/version_edit.html",
        {
            "version": version,
            "document": version.document,
            "unit": version.document.unit,
            "form": text_form,
            "formsets": formsets if version.document.is_procedure else [],
            "is_procedure": version.document.is_procedure,
        },
    )


def _act(request, version, action, success):
    try:
        action()
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc) or _("You may not do this."))
    else:
        messages.success(request, success)
    return redirect("version_detail", version.pk)


@login_required
@require_POST
def version_submit(request, pk):
    version = docs.get_version(request.user, pk)
    if not request.user.has_perm("documents.edit", version):
        raise PermissionDenied
    form = SubmitForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return _act(
        request,
        version,
        lambda: versions.submit_for_review(request.user, version, comment=comment),
        _("Sent for review."),
    )


@login_required
@require_POST
def version_decide(request, pk):
    version = docs.get_version(request.user, pk)
    if not versions.can_sign(request.user, version):
        raise PermissionDenied
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("version_detail", version.pk)
    approve = form.cleaned_data["decision"] == "approve"
    return _act(
        request,
        version,
        lambda: versions.decide(
            request.user, version, approve=approve, comment=form.cleaned_data["comment"]
        ),
        _("Signed.") if approve else _("Returned to the author with your comments."),
    )


@login_required
@require_POST
def version_make_effective(request, pk):
    version = docs.get_version(request.user, pk)
    if not request.user.has_perm("documents.publish", version):
        raise PermissionDenied
    form = EffectiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date it takes effect."))
        return redirect("version_detail", version.pk)
    return _act(
        request,
        version,
        lambda: versions.make_effective(
            request.user, version, effective_from=form.cleaned_data["effective_from"]
        ),
        _("The effective date is set."),
    )


@login_required
def version_diff(request, pk, other_pk):
    """What changed between two issues of the same document."""
    version = docs.get_version(request.user, pk, what="comparison of versions")
    other = docs.get_version(request.user, other_pk, what="comparison of versions")
    if other.document_id != version.document_id:
        return redirect("version_detail", version.pk)
    old, new = sorted([version, other], key=lambda v: v.issue_no)
    return render(
        request,
        "documents/version_diff.html",
        {
            "old": old,
            "new": new,
            "document": version.document,
            "unit": version.document.unit,
            "sections": content_diff.diff_contents(old.content, new.content),
        },
    )


@login_required
def approval_steps(request, unit_pk):
    """The agency's sign-off steps: shown to its people, changed by its head or secretary."""
    unit = org.get_internal_unit(request.user, unit_pk, what="sign-off steps")
    can_change = request.user.has_perm("documents.publish", unit)
    current = versions.steps_for(unit)
    initial = "\n".join(f"{_(str(s.label))} | {s.role}" for s in current)
    form = StepsForm(request.POST or None, initial={"steps": initial})
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            versions.configure_steps(request.user, unit, form.cleaned_data["steps"])
            messages.success(request, _("The sign-off steps are saved."))
            return redirect("document_approval_steps", unit.pk)
    return render(
        request,
        "documents/approval_steps.html",
        {"unit": unit, "form": form, "steps": current, "can_change": can_change},
    )

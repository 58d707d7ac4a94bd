"""The legal register (shared, kept by DoST administrators) and an agency's update tasks."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from govqms.core.pages import query_without_page as _query_without_page
from govqms.organizations import selectors as org

from .forms import BootstrapMixin, save_form
from .models import LegalDocument, LegalStatus, UpdateTaskStatus
from .selectors import legal as selectors
from .services import legal as service

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LegalFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All statuses")), *LegalStatus.choices],
    )


class LegalDocumentForm(BootstrapMixin, forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Number"),
        max_length=60,
        help_text=gettext_lazy("As printed, e.g. 61/2018/NĐ-CP."),
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=500)
    issuer = forms.CharField(label=gettext_lazy("Issued by"), max_length=200, required=False)
    issued = forms.DateField(label=gettext_lazy("Issued on"), required=False, widget=DATE)
    effective = forms.DateField(label=gettext_lazy("Takes effect"), required=False, widget=DATE)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=LegalStatus.choices)
    replaced_by = forms.ModelChoiceField(
        label=gettext_lazy("Replaced or amended by"),
        queryset=LegalDocument.objects.none(),
        required=False,
    )
    changed_on = forms.DateField(
        label=gettext_lazy("Status changed on"),
        required=False,
        widget=DATE,
        help_text=gettext_lazy(
            "When amended or replaced, the documents that cite it must be updated within "
            "3 months of the new text taking effect."
        ),
    )

    def __init__(self, *args, user=None, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        others = selectors.legal_documents(user)
        if instance is not None:
            others = others.exclude(pk=instance.pk)
        self.fields["replaced_by"].queryset = others.order_by("number")
        self._style()

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if status in (LegalStatus.AMENDED, LegalStatus.REPLACED, LegalStatus.EXPIRED):
            if not data.get("changed_on"):
                data["changed_on"] = timezone.localdate()
        return data

    def entry(self) -> dict:
        """The register entry as the services take it."""
        return {name: self.cleaned_data[name] for name in self.fields}


class TaskFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[
            *UpdateTaskStatus.choices,
            ("all", gettext_lazy("All")),
        ],
    )


def _page(request, queryset, per_page=25):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _require_manager(user):
    if not user.has_perm("documents.manage_legal"):
        raise PermissionDenied


@login_required
def legal_list(request):
    form = LegalFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    items = selectors.legal_documents(
        request.user, query=filters.get("q"), status=filters.get("status") or None
    )
    return render(
        request,
        "documents/legal/list.html",
        {
            "form": form,
            "page": _page(request, items),
            "total": items.count(),
            "query_string": _query_without_page(request),
            "can_manage": request.user.has_perm("documents.manage_legal"),
        },
    )


@login_required
def legal_detail(request, pk):
    legal = selectors.get_legal_document(request.user, pk)
    return render(
        request,
        "documents/legal/detail.html",
        {
            "legal": legal,
            "replaces": selectors.legal_documents(request.user).filter(replaced_by=legal),
            "citing": selectors.citing_versions(request.user, legal),
            "has_agency": org.agency_units(request.user).exists(),
            "can_manage": request.user.has_perm("documents.manage_legal"),
        },
    )


def _save_message(request, legal, tasks):
    messages.success(request, _("%(number)s was saved.") % {"number": legal.number})
    if tasks:
        agencies = len({t.document.unit_id for t in tasks})
        messages.warning(
            request,
            ngettext(
                "%(n)d update task was created (in %(agencies)d agencies), due %(due)s.",
                "%(n)d update tasks were created (in %(agencies)d agencies), due %(due)s.",
                len(tasks),
            )
            % {"n": len(tasks), "agencies": agencies, "due": tasks[0].due.strftime("%d/%m/%Y")},
        )


@login_required
def legal_create(request):
    _require_manager(request.user)
    form = LegalDocumentForm(request.POST or None, user=request.user)
    legal = save_form(
        request, form, lambda: service.create_legal_document(request.user, **form.entry())
    )
    if legal is not None:
        _save_message(request, legal, [])
        return redirect("legal_detail", legal.pk)
    return render(request, "documents/legal/form.html", {"form": form, "legal": None})


@login_required
def legal_edit(request, pk):
    _require_manager(request.user)
    legal = selectors.get_legal_document(request.user, pk)
    initial = {
        "number": legal.number,
        "title": legal.title,
        "issuer": legal.issuer,
        "issued": legal.issued,
        "effective": legal.effective,
        "status": legal.status,
        "replaced_by": legal.replaced_by,
    }
    form = LegalDocumentForm(
        request.POST or None, initial=initial, user=request.user, instance=legal
    )
    tasks = save_form(
        request, form, lambda: service.update_legal_document(request.user, legal, **form.entry())
    )
    if tasks is not None:
        legal.refresh_from_db()
        _save_message(request, legal, tasks)
        return redirect("legal_detail", legal.pk)
    return render(request, "documents/legal/form.html", {"form": form, "legal": legal})


@login_required
def update_task_list(request, unit_pk):
    """An agency's "update needed" tasks, open or done."""
    unit = org.get_internal_unit(request.user, unit_pk, what="legal update tasks")
    form = TaskFilterForm(request.GET or None)
    status = (form.cleaned_data.get("status") if form.is_valid() else "") or UpdateTaskStatus.OPEN
    tasks = selectors.update_tasks(request.user, unit, status=None if status == "all" else status)
    summary = selectors.open_tasks_summary(request.user, unit, limit=0)
    return render(
        request,
        "documents/legal/update_tasks.html",
        {
            "unit": unit,
            "form": form,
            "status": status,
            "page": _page(request, tasks, 50),
            "query_string": _query_without_page(request),
            "summary": summary,
            "today": summary["today"],
            "is_oversight_view": not org.is_member_of(request.user, unit),
        },
    )

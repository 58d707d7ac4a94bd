"""Pages of distribution and awareness (read tasks, progress, reminders) and of the
periodic review: thin views over selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from govqms.organizations import selectors as org

from .selectors import awareness as selectors
from .selectors import documents as documents_selectors
from .services import awareness as services


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
def my_reading(request):
    """My documents to read: open read tasks in every agency I belong to."""
    tasks = list(selectors.my_open_tasks(request.user))
    return render(
        request,
        "documents/awareness/my_reading.html",
        {
            "tasks": tasks,
            "recent": selectors.my_recent_reads(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def acknowledge(request, pk):
    task = selectors.get_own_task(request.user, pk)
    try:
        services.acknowledge(request.user, task)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request,
            _("Recorded: you have read %(document)s.") % {"document": task.version},
        )
    return redirect("my_reading")


@login_required
def version_reading(request, pk):
    """Who has read a version in force, and who has not."""
    version = documents_selectors.get_version(request.user, pk, what="reading progress")
    return render(
        request,
        "documents/awareness/version_reading.html",
        {
            "version": version,
            "document": version.document,
            "progress": selectors.reading_progress(version),
            "readers": selectors.readers(request.user, version),
            "can_remind": version.is_current
            and request.user.has_perm("documents.publish", version),
            "is_oversight_view": not org.is_member_of(request.user, version.document.unit),
        },
    )


@login_required
@require_POST
def version_remind(request, pk):
    version = documents_selectors.get_version(request.user, pk, what="reading progress")
    if not request.user.has_perm("documents.publish", version):
        raise PermissionDenied
    try:
        sent = services.remind_now(request.user, version)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request,
            ngettext(
                "Reminder sent to %(count)d person by e-mail.",
                "Reminder sent to %(count)d people by e-mail.",
                sent,
            )
            % {"count": sent},
        )
        unread = selectors.readers(request.user, version)["unread"]
        without = [t.user.display_name for t in unread if not t.user.email]
        if without:
            messages.warning(
                request,
                _("No e-mail address, not reminded: %(names)s.") % {"names": ", ".join(without)},
            )
    return redirect("version_reading", version.pk)


@login_required
def agency_reviews(request, unit_pk):
    """The agency's periodic reviews: overdue and due within 30 days."""
    unit = org.get_internal_unit(request.user, unit_pk, what="periodic reviews")
    today = timezone.localdate()
    overdue = list(selectors.overdue_reviews(request.user, unit, today=today))
    for document in overdue:
        document.days_late = (today - document.next_review_due).days
    return render(
        request,
        "documents/awareness/agency_reviews.html",
        {
            "unit": unit,
            "today": today,
            "overdue": overdue,
            "due_soon": list(selectors.due_soon_reviews(request.user, unit, today=today)),
            "due_soon_days": selectors.DUE_SOON_DAYS,
            "can_mark": request.user.has_perm("documents.publish", unit) and unit.is_active,
            "is_oversight_view": not org.is_member_of(request.user, unit),
        },
    )


@login_required
@require_POST
def document_reviewed(request, pk):
    """ "Reviewed, no change needed": the next review moves one interval from today."""
    document = documents_selectors.get_document(request.user, pk, what="periodic review")
    if not request.user.has_perm("documents.publish", document):
        raise PermissionDenied
    try:
        document = services.mark_reviewed(request.user, document, note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, f"{document.code}: {_errors(exc)}")
    else:
        messages.success(
            request,
            _("%(code)s reviewed: the next review is due on %(date)s.")
            % {"code": document.code, "date": document.next_review_due.strftime("%d/%m/%Y")},
        )
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("agency_reviews", document.unit_id)


@login_required
def oversight_reviews(request):
    """The DoST: agencies of its subtree with periodic reviews overdue or due soon."""
    if not org.is_oversight_user(request.user):
        raise PermissionDenied
    rows = selectors.reviews_by_agency(request.user)
    return render(
        request,
        "documents/awareness/oversight_reviews.html",
        {
            "rows": rows,
            "agencies_overdue": sum(1 for r in rows if r["overdue"]),
            "documents_overdue": sum(r["overdue"] for r in rows),
            "documents_due_soon": sum(r["due_soon"] for r in rows),
            "due_soon_days": selectors.DUE_SOON_DAYS,
        },
    )

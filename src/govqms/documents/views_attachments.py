"""Attachments of a version: the list with the upload form, download, removal."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from .selectors.documents import get_version
from .services import attachments as service


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        allow_empty_file=True,  # the service refuses it, naming the file
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.docx,.xlsx,application/pdf,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("For example: signed scan of the approval decision."),
    )


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops receiving a file once it passes the limit, so an oversized upload is never
    written anywhere; the view then says which file was refused."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.refused: list[tuple[str, int]] = []

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.refused.append((self.file_name, self.content_length or self.received))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


@csrf_exempt
@login_required
def version_attachments(request, pk):
    # The size guard must be in place before the body is read (hence CSRF checked after).
    guard = SizeLimitUploadHandler(request, service.max_bytes())
    request.upload_handlers.insert(0, guard)
    return _version_attachments(request, pk, guard)


@csrf_protect
def _version_attachments(request, pk, guard):
    version = get_version(request.user, pk, what="attachments")
    can_add = service.can_add(request.user, version)
    form = AttachmentForm()
    status = 200
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        form = AttachmentForm(request.POST, request.FILES)
        if guard.refused:
            form.is_valid()
            form.errors["file"] = form.error_class(
                [
                    _("“%(name)s” was refused: it is larger than the limit of %(limit)s.")
                    % {
                        "name": service.display_name(name),
                        "limit": service.human_size(service.max_bytes()),
                    }
                    for name, _size in guard.refused
                ]
            )
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                attachment = service.add_attachment(
                    request.user,
                    version,
                    upload,
                    name=upload.name,
                    description=form.cleaned_data["description"],
                )
            except ValidationError as exc:
                form.add_error("file" if exc.code == "refused" else None, exc)
            else:
                messages.success(
                    request, _("“%(name)s” was attached.") % {"name": attachment.original_name}
                )
                return redirect("version_attachments", version.pk)
        status = 400
    items = list(version.attachments.select_related("uploaded_by"))
    for item in items:
        item.can_remove = service.can_remove(request.user, item)
    return render(
        request,
        "documents/attachments/list.html",
        {
            "version": version,
            "document": version.document,
            "attachments": items,
            "form": form,
            "can_add": can_add,
            "max_size": service.human_size(service.max_bytes()),
        },
        status=status,
    )


@login_required
def attachment_download(request, pk, attachment_pk):
    """The file, to those who may see the document, under a safe name."""
    version = get_version(request.user, pk, what="attachment download")
    attachment = get_object_or_404(version.attachments.all(), pk=attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("The file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=service.download_name(attachment),
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def attachment_remove(request, pk, attachment_pk):
    version = get_version(request.user, pk, what="attachments")
    attachment = get_object_or_404(version.attachments.all(), pk=attachment_pk)
    if not request.user.has_perm("documents.edit", version):
        raise PermissionDenied
    try:
        service.remove_attachment(request.user, attachment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("“%(name)s” was removed.") % {"name": attachment.original_name})
    return redirect("version_attachments", version.pk)

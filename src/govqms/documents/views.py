"""Pages of the document register (being written)."""

from django.http import Http404


def register(request, **kwargs):
    raise Http404


def register_export(request, **kwargs):
    raise Http404


def document_create(request, **kwargs):
    raise Http404


def document_detail(request, **kwargs):
    raise Http404


def document_edit(request, **kwargs):
    raise Http404


def document_revise(request, **kwargs):
    raise Http404


def document_withdraw(request, **kwargs):
    raise Http404


def version_detail(request, **kwargs):
    raise Http404


def version_edit(request, **kwargs):
    raise Http404


def version_submit(request, **kwargs):
    raise Http404


def version_decide(request, **kwargs):
    raise Http404


def version_make_effective(request, **kwargs):
    raise Http404


def version_diff(request, **kwargs):
    raise Http404

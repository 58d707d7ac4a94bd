"""Small helpers shared by the apps' page views."""

from django.core.exceptions import ValidationError


def query_without_page(request) -> str:
    """The list's query string (filters, search) without the page number, for the
    pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def add_service_errors(form, error: ValidationError) -> None:
    """A service's refusal shown on the form: on the fields it names, else on the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)

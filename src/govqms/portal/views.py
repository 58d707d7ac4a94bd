from django.core.paginator import Paginator
from django.shortcuts import render

from . import selectors


def agency_directory(request):
    """Public list of the agencies applying the QMS (no internal records)."""
    query = request.GET.get("q", "")
    page = Paginator(selectors.public_agencies(query), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/agency_directory.html",
        {"page": page, "q": query, "query_string": f"q={query}" if query else ""},
    )

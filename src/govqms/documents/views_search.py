"""The document search page: a thin view over `selectors.search`."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from govqms.organizations import selectors as org

from .selectors import search as search_selectors

PER_PAGE = 20


@login_required
def search(request):
    """Accent-insensitive search over the documents the user may see, ranked, with
    the passage that matched."""
    query = request.GET.get("q", "").strip()[:200]
    hits = search_selectors.search(request.user, query) if query else []
    page = Paginator(hits, PER_PAGE).get_page(request.GET.get("page"))
    search_selectors.log_oversight_reads(request.user, page.object_list, query)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "documents/search/results.html",
        {
            "query": query,
            "page": page,
            "total": len(hits),
            "truncated": len(hits) >= search_selectors.CANDIDATES,
            "query_string": params.urlencode(),
            "member_units": org.agency_units(request.user).order_by("code"),
            "oversight_roots": org.oversight_roots(request.user),
        },
    )

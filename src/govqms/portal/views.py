from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.shortcuts import render

from . import selectors

# Dossier lookups per client address and window (seconds).
LOOKUP_LIMIT = int(getattr(settings, "GOVQMS_LOOKUP_LIMIT", 20))
LOOKUP_WINDOW = int(getattr(settings, "GOVQMS_LOOKUP_WINDOW", 600))


def agency_directory(request):
    """Public list of the agencies applying the QMS (no internal records)."""
    query = request.GET.get("q", "")
    page = Paginator(selectors.public_agencies(query), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/agency_directory.html",
        {"page": page, "q": query, "query_string": f"q={query}" if query else ""},
    )


def _allow_lookup(request) -> bool:
    """Count a lookup against the client's address (Django's cache framework)."""
    key = f"govqms:lookup:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=LOOKUP_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=LOOKUP_WINDOW)
        count = 1
    return count <= LOOKUP_LIMIT


def dossier_lookup(request):
    """A citizen looks up a dossier by its code: its TTHC, agency, dates, status and
    the steps done (names and dates only), nothing personal. Rate-limited."""
    code = request.GET.get("code", "").strip()[:100]
    context = {"code": code, "searched": bool(code), "results": [], "window": LOOKUP_WINDOW // 60}
    if code:
        if not _allow_lookup(request):
            context["limited"] = True
            return render(request, "portal/dossier_lookup.html", context, status=429)
        context["results"] = selectors.lookup_dossiers(code)
    return render(request, "portal/dossier_lookup.html", context)

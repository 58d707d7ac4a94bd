"""Isolation cases of the document search page."""

from tests.isolation import LIST, Route

ROUTES = {
    # Without a query the page lists the agencies searched (their codes): the user's
    # own agencies only. Searching with queries is tested in tests/documents/test_search.py.
    "document_search": Route(LIST),
}

"""Public reads: only what any citizen may see (names, kinds and status of agencies)."""

from govqms.organizations.models import Unit


def public_agencies(query: str | None = None):
    return (
        Unit.objects.active_on()
        .filter(in_dost_remit=True)
        .search(query)
        .select_related("parent")
        .order_by("path")
    )

"""The real log: the receipt phase of an environmental permit process of a Dutch
municipality (CoSeLoG project), by Buijs, J.C.A.M., 4TU.ResearchData, in IEEE XES.
It is read from ../shared/data/event-logs/ and never copied into the repository.

The test checks the import against an independent computation from the raw XML
(xml.etree, not the importer's lxml stream)."""

import datetime as dt
import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from govqms.dossiers.models import Dossier, DossierEvent, Outcome
from govqms.dossiers.services.imports import import_file

LOG = Path(__file__).resolve().parents[3] / "shared" / "data" / "event-logs" / "receipt.xes.gz"
NS = "{http://www.xes-standard.org/}"
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

pytestmark = pytest.mark.skipif(
    not LOG.exists(), reason=f"the CoSeLoG receipt log (Buijs, J.C.A.M.) is not at {LOG}"
)


def expected_from_raw_xml():
    """Cases, events, resolved cases and late cases (end date after the deadline),
    computed from the XML with the standard library."""
    root = ET.parse(gzip.open(LOG)).getroot()
    cases = events = resolved = late = 0
    for trace in root.iter(NS + "trace"):
        cases += 1
        events += len(trace.findall(NS + "event"))
        attrs = {c.get("key"): c.get("value") for c in trace if c.tag != NS + "event"}
        if "enddate" in attrs:
            resolved += 1
            end = dt.datetime.fromisoformat(attrs["enddate"])
            if end > dt.datetime.fromisoformat(attrs["deadline"]):
                late += 1
    return cases, events, resolved, late


@pytest.mark.django_db
def test_real_log_imports_through_the_xes_stream(world):
    cases, events, resolved, late = expected_from_raw_xml()
    assert (cases, events) == (1434, 8577)  # as the log's README says

    result = import_file(None, world.b, LOG, fmt="xes", lenient=True, now=NOW)
    assert result.ok, result.errors[:5]
    batch = result.batch
    assert batch.dossiers_created == cases and batch.events_created == events
    assert Dossier.objects.filter(unit=world.b).count() == cases
    assert DossierEvent.objects.filter(dossier__unit=world.b).count() == events
    # The 4 cases with an event or end date before their start date are warnings.
    assert result.warning_count == 4
    qs = Dossier.objects.filter(unit=world.b)
    assert qs.filter(resolved_at__isnull=False).count() == resolved
    assert qs.filter(outcome=Outcome.LATE).count() == late
    assert qs.filter(outcome__in=[Outcome.EARLY, Outcome.ON_TIME]).count() == resolved - late
    # Open cases of 2011 are overdue now.
    assert qs.filter(outcome=Outcome.OVERDUE).count() == cases - resolved

    # The same file again: every count unchanged.
    again = import_file(None, world.b, LOG, fmt="xes", lenient=True, now=NOW)
    assert again.ok
    b = again.batch
    assert (b.dossiers_created, b.dossiers_updated, b.events_created) == (0, 0, 0)
    assert (b.dossiers_unchanged, b.events_unchanged, b.reclassified) == (cases, events, 0)
    assert Dossier.objects.filter(unit=world.b).count() == cases
    assert DossierEvent.objects.filter(dossier__unit=world.b).count() == events


@pytest.mark.django_db
def test_real_log_strict_refuses_events_before_receipt(world):
    result = import_file(None, world.b, LOG, fmt="xes", now=NOW)
    assert not result.ok and result.error_count == 4
    assert {e.code for e in result.errors} == {"event_before_receipt", "result_before_receipt"}
    assert any("case-4677" in e.message for e in result.errors)
    assert not Dossier.objects.exists()

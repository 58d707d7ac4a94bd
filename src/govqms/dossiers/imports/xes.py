"""IEEE XES event logs (1.0 / 1849-2016), parsed as a stream with lxml's iterparse:
each trace is turned into a `Record` as soon as it ends and its element is freed,
so memory stays flat whatever the size of the log. `.xes` or `.xes.gz` (decided
by content).

Mapping (the defaults fit the CoSeLoG logs of Buijs, J.C.A.M., 4TU.ResearchData):

    trace  concept:name -> dossier code       event  concept:name -> step
           startdate    -> received                 time:timestamp -> time
           deadline     -> due (as reported)        org:resource -> actor
           enddate      -> resolved                 org:group    -> division
           channel      -> channel                  govqms:kind / kind -> event kind
           department   -> division                   (else "transferred": a step done)
           tthc / procedure -> TTHC code            new_due / govqms:new_due -> new date

Rows in messages are the line numbers of the XML."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator

from django.utils.translation import gettext as _
from lxml import etree

from .pipeline import FileProblem, Record

NS = "{http://www.xes-standard.org/}"

TRACE_KEYS = {
    "code": ("concept:name",),
    "received_at": ("startdate", "govqms:received", "received"),
    "due_at": ("deadline", "govqms:due", "due"),
    "resolved_at": ("enddate", "govqms:resolved", "resolved"),
    "delivered_at": ("govqms:delivered", "delivered"),
    "channel": ("channel", "govqms:channel"),
    "division": ("department", "govqms:division"),
    "procedure_code": ("govqms:tthc", "tthc", "procedure", "govqms:procedure"),
    "unit_code": ("govqms:agency", "agency"),
    "status": ("govqms:status",),
}
EVENT_KEYS = {
    "step": ("concept:name",),
    "at": ("time:timestamp",),
    "actor": ("org:resource",),
    "event_division": ("org:group", "org:role"),
    "kind": ("govqms:kind", "kind"),
    "new_due_at": ("govqms:new_due", "new_due"),
}
LIFECYCLE_KINDS = {"withdraw": "withdrawn", "ate_abort": "stopped", "pi_abort": "stopped"}
UNKNOWN = "UNKNOWN"


def _pick(attrs: dict, keys: dict) -> dict:
    out = {}
    for name, candidates in keys.items():
        for key in candidates:
            value = attrs.get(key)
            if value is not None and value != UNKNOWN:
                out[name] = value
                break
    return out


def open_log(stream) -> io.BufferedIOBase:
    """The XML stream of a .xes or .xes.gz file object."""
    head = stream.read(2)
    stream.seek(0)
    if head == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=stream)
    return stream


def read(stream) -> Iterator[Record]:
    source = open_log(stream)
    tags = (NS + "event", NS + "trace", "event", "trace")
    events: list[dict] = []
    event_rows: list[int] = []
    traces = 0
    try:
        for _action, el in etree.iterparse(
            source,
            events=("end",),
            tag=tags,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            remove_comments=True,
        ):
            local = el.tag.rsplit("}", 1)[-1]
            if local == "event":
                attrs = {c.get("key"): c.get("value") for c in el}
                event = _pick(attrs, EVENT_KEYS)
                if "kind" not in event:
                    lifecycle = (attrs.get("lifecycle:transition") or "").lower()
                    if lifecycle in LIFECYCLE_KINDS:
                        event["kind"] = LIFECYCLE_KINDS[lifecycle]
                events.append(event)
                event_rows.append(el.sourceline or 0)
                el.clear()
            else:
                traces += 1
                attrs = {
                    c.get("key"): c.get("value")
                    for c in el
                    if not isinstance(c.tag, str) or c.tag.rsplit("}", 1)[-1] != "event"
                }
                yield Record(el.sourceline or 0, _pick(attrs, TRACE_KEYS), events, event_rows)
                events, event_rows = [], []
                el.clear()
                parent = el.getparent()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
    except (etree.XMLSyntaxError, OSError, EOFError) as exc:
        line = getattr(exc, "lineno", None)
        raise FileProblem(
            _("The file is not a readable XES log: %(error)s") % {"error": exc}, row=line
        ) from exc
    if traces == 0:
        raise FileProblem(_("The log has no trace."))

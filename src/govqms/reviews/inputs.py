"""The inputs of a management review (ISO 9001:2015, 9.3.2), compiled from live records.

Each app that holds an input registers a provider for its key, in its
AppConfig.ready(), with `@register("objectives")`. A provider is called as
`provider(unit, start, end)` for the agency and the review period (dates,
inclusive) and returns a `Section`: plain JSON-able data, so that the review can
freeze it when the meeting is held. Keys with no provider show as "no data"
so a missing app never hides an input.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext_lazy as _

# The inputs of 9.3.2 in the standard's order: (key, title).
INPUT_KEYS = [
    ("previous_actions", _("Status of actions from previous management reviews")),
    ("context_changes", _("Changes in external and internal issues")),
    ("satisfaction", _("Customer satisfaction and feedback")),
    ("objectives", _("Extent to which quality objectives have been met")),
    ("process_performance", _("Process performance and conformity of services")),
    ("nonconformities", _("Nonconformities and corrective actions")),
    ("monitoring", _("Monitoring and measurement results")),
    ("audit_results", _("Audit results")),
    ("external_providers", _("Performance of external providers")),
    ("resources", _("Adequacy of resources")),
    ("risks", _("Effectiveness of actions taken to address risks and opportunities")),
    ("improvement_opportunities", _("Opportunities for improvement")),
]
KEYS = [key for key, _title in INPUT_KEYS]


@dataclass
class Section:
    """One input: a one-line summary, an optional table and links to the records."""

    summary: str
    columns: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    # [{"label": str, "url": str}] to the records behind the figures.
    links: list[dict] = field(default_factory=list)
    figures: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


_providers: dict[str, list[Callable]] = {}


def register(key: str):
    """Decorator: add a provider for the input `key` (one of KEYS)."""
    if key not in KEYS:
        raise ValueError(f"unknown management review input: {key}")

    def decorator(fn):
        providers = _providers.setdefault(key, [])
        if fn not in providers:
            providers.append(fn)
        return fn

    return decorator


def providers(key: str) -> list[Callable]:
    return list(_providers.get(key, []))


# ---------------------------------------------------------------- compiling
#
# The review being compiled and who reads it, for the providers that need them
# (the manual inputs read the review's text; KPI selectors take a reader). A provider
# called outside `compile_inputs` sees None for both.

import contextvars  # noqa: E402
import logging  # noqa: E402

logger = logging.getLogger(__name__)

current_review: contextvars.ContextVar = contextvars.ContextVar("review", default=None)
current_reader: contextvars.ContextVar = contextvars.ContextVar("reader", default=None)


def _as_dicts(result) -> list[dict]:
    if result is None:
        return []
    if isinstance(result, list | tuple):
        return [d for item in result for d in _as_dicts(item)]
    if isinstance(result, Section):
        return [result.as_dict()]
    if isinstance(result, dict):
        return [
            Section(
                **{k: v for k, v in result.items() if k in Section.__dataclass_fields__}
            ).as_dict()
        ]
    raise TypeError(f"a review input provider returned {type(result).__name__}")


def compile_inputs(unit, start, end, *, review=None, reader=None) -> list[dict]:
    """Every input of 9.3.2 in the standard's order: [{"key", "title", "sections"}],
    each section a `Section` as a dict from one provider. A key with no provider (or
    providers that return nothing) has no sections; a provider that fails gives a
    section flagged "error" so that the other inputs still show."""
    review_token = current_review.set(review)
    reader_token = current_reader.set(reader)
    try:
        compiled = []
        for key, title in INPUT_KEYS:
            sections = []
            for provider in providers(key):
                try:
                    sections.extend(_as_dicts(provider(unit, start, end)))
                except Exception:  # one broken input must not hide the others
                    logger.exception("management review input %s failed", key)
                    sections.append(
                        Section(summary=str(_("This input could not be compiled."))).as_dict()
                        | {"error": True}
                    )
            compiled.append({"key": key, "title": str(title), "sections": sections})
        return compiled
    finally:
        current_review.reset(review_token)
        current_reader.reset(reader_token)

"""Panels that apps add to the agency home and the DoST home.

An app registers, in its AppConfig.ready(), a function (user, unit) -> Panel | None
for the agency home, or (user) -> Panel | None for the DoST home. The homes show
every panel that is returned, in registration order. This keeps the foundation
ignorant of the apps built on it."""

from dataclasses import dataclass, field


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


_agency_panels = []
_oversight_panels = []


def register_agency_panel(fn):
    if fn not in _agency_panels:
        _agency_panels.append(fn)
    return fn


def register_oversight_panel(fn):
    if fn not in _oversight_panels:
        _oversight_panels.append(fn)
    return fn


def agency_panels(user, unit) -> list[Panel]:
    panels = [p for p in (fn(user, unit) for fn in _agency_panels) if p is not None]
    return sorted(panels, key=lambda p: p.order)


def oversight_panels(user) -> list[Panel]:
    panels = [p for p in (fn(user) for fn in _oversight_panels) if p is not None]
    return sorted(panels, key=lambda p: p.order)

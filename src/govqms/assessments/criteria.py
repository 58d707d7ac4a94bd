"""Every write of criteria sets (issue 6, item 1: criteria as yearly configuration).

A criteria set is the DoST's scheme for one year: groups, criteria with maximum
points and an optional auto-scoring rule, and the rating bands of that year. Only a
DoST administrator of the set's owner edits it; every function runs in a
transaction and writes an audit entry on the owner's trail. Once published a set is
frozen: every function here refuses to change it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from govqms.core import audit
from govqms.organizations import selectors as org
from govqms.organizations.models import Unit

from .models import DEFAULT_BANDS, Band, CriteriaGroup, CriteriaSet, Criterion, RatingBand

# The rule keys of the library (assessments/rules.py registers their computation).
# A criterion may name one of these even before the rule module is loaded.
RULE_KEYS = (
    "internal_audit_done",
    "management_review_held",
    "legal_updates_on_time",
    "documents_reviewed_on_time",
    "acknowledgement_share",
    "corrective_actions_on_time",
    "tthc_coverage",
    "dossier_on_time_rate",
    "announcement_current",
    "objectives_measured",
)

MAX_POINTS_LIMIT = Decimal("1000")
BAND_ORDER = [b.value for b in Band]  # best first


def points_text(points) -> str:
    """Points as written in the active language: 92.5 (English), 92,5 (Vietnamese)."""
    text = f"{Decimal(points).normalize():f}"
    return text.replace(".", ",") if (get_language() or "").startswith("vi") else text


def frozen_message() -> str:
    return _("A published criteria set is frozen.")


# --- checks ---------------------------------------------------------------------


def can_edit_owner(actor, owner: Unit) -> bool:
    return actor is None or org.is_admin_of(actor, owner)


def can_edit(actor, criteria_set: CriteriaSet) -> bool:
    """Whether `actor` may change this set now (an administrator, and not frozen)."""
    return not criteria_set.is_frozen and can_edit_owner(actor, criteria_set.owner)


def _require_admin(actor, owner: Unit) -> None:
    if not can_edit_owner(actor, owner):
        raise PermissionDenied(
            _("Only a DoST administrator of %(owner)s may change its criteria sets.")
            % {"owner": owner.name}
        )


def _locked(actor, criteria_set: CriteriaSet) -> CriteriaSet:
    """The set, locked for the transaction, after the permission and frozen checks."""
    _require_admin(actor, criteria_set.owner)
    locked = (
        CriteriaSet.objects.select_for_update(of=("self",))
        .select_related("owner")
        .get(pk=criteria_set.pk)
    )
    if locked.is_frozen:
        raise ValidationError(frozen_message(), code="frozen")
    return locked


def _record(actor, action: str, obj, criteria_set: CriteriaSet, changes: dict, note: str = ""):
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        unit=criteria_set.owner,
        changes=changes,
        note=note,
    )
    if obj is not criteria_set and not isinstance(obj, CriteriaSet):
        # The set's history lists the changes to its parts too.
        audit.record(
            actor=actor,
            action=action,
            obj=criteria_set,
            unit=criteria_set.owner,
            changes=changes,
            note=note or str(obj)[:200],
        )


def _record_if_changed(actor, action: str, obj, cs: CriteriaSet, before) -> None:
    changes = audit.diff(before, audit.snapshot(obj, obj.AUDIT_FIELDS))
    if changes:
        _record(actor, action, obj, cs, changes)


def _next_order(siblings) -> int:
    """After the last of `siblings` (a group's criteria, a set's groups)."""
    return (siblings.aggregate(m=Max("order"))["m"] or 0) + 1


def _record_deletion(actor, action: str, model, pk, label: str, cs: CriteriaSet, changes):
    """Record a removed part of the set under its own (gone) identity and in the
    set's history."""
    audit.record(
        actor=actor,
        action=action,
        object_type=model._meta.label_lower,
        object_id=str(pk),
        object_repr=label,
        unit=cs.owner,
        changes=changes,
    )
    audit.record(actor=actor, action=action, obj=cs, unit=cs.owner, changes=changes, note=label)


def _clean_text(value, field: str, errors: dict, *, required=True, max_length=None) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = _("This field is required.")
    elif max_length and len(value) > max_length:
        errors[field] = _("At most %(n)d characters.") % {"n": max_length}
    return value


def parse_points(value) -> Decimal | None:
    """A number of points from a form, a file or the API (a comma is a decimal point)."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = str(value).strip().replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    return number


def _clean_year(year, errors: dict) -> int | None:
    try:
        year = int(year)
    except (TypeError, ValueError):
        errors["year"] = _("Enter a year.")
        return None
    if not 2000 <= year <= 2100:
        errors["year"] = _("Enter a year between 2000 and 2100.")
        return None
    return year


def _year_taken(owner: Unit, year: int, exclude_pk=None) -> bool:
    qs = CriteriaSet.objects.filter(owner=owner, year=year)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def default_title(year: int) -> str:
    # A Vietnamese record title (data, not interface text).
    return f"Bộ tiêu chí đánh giá việc duy trì, áp dụng HTQLCL năm {year}"


# --- the set -----------------------------------------------------------------------


def create_set(
    actor, *, owner: Unit, year, title: str = "", legal_basis: str = "", bands=None
) -> CriteriaSet:
    """A new draft set for `year`, with the default rating bands (or `bands`)."""
    _require_admin(actor, owner)
    errors: dict = {}
    year = _clean_year(year, errors)
    title = (title or "").strip() or (default_title(year) if year else "")
    _clean_text(title, "title", errors, max_length=300)
    legal_basis = _clean_text(legal_basis, "legal_basis", errors, required=False, max_length=300)
    if year and _year_taken(owner, year):
        errors["year"] = _("%(owner)s already has a criteria set for %(year)d.") % {
            "owner": owner.name,
            "year": year,
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        cs = CriteriaSet.objects.create(
            owner=owner, year=year, title=title, legal_basis=legal_basis
        )
        band_rows = _clean_bands(bands) if bands is not None else list(DEFAULT_BANDS)
        RatingBand.objects.bulk_create(
            RatingBand(criteria_set=cs, band=band, min_points=points) for band, points in band_rows
        )
        audit.record(
            actor=actor,
            action="criteria_set_create",
            obj=cs,
            unit=owner,
            changes=audit.diff(None, audit.snapshot(cs, CriteriaSet.AUDIT_FIELDS))
            | {"bands": [None, _bands_json(band_rows)]},
        )
    return cs


def copy_set(actor, source: CriteriaSet, year, *, title: str = "") -> CriteriaSet:
    """A draft for `year` with every group, criterion (rule and parameters included)
    and band of `source`; the copy remembers where it came from."""
    owner = source.owner
    _require_admin(actor, owner)
    errors: dict = {}
    year = _clean_year(year, errors)
    if year and _year_taken(owner, year):
        errors["year"] = _("%(owner)s already has a criteria set for %(year)d.") % {
            "owner": owner.name,
            "year": year,
        }
    if errors:
        raise ValidationError(errors)
    title = (title or "").strip()
    if not title:
        old = str(source.year)
        title = source.title.replace(old, str(year)) if old in source.title else source.title
        title = title or default_title(year)
    with transaction.atomic():
        cs = CriteriaSet.objects.create(
            owner=owner,
            year=year,
            title=title[:300],
            legal_basis=source.legal_basis,
            copied_from=source,
        )
        groups = {}
        for g in source.groups.order_by("order", "pk"):
            groups[g.pk] = CriteriaGroup.objects.create(
                criteria_set=cs, order=g.order, code=g.code, title=g.title
            )
        Criterion.objects.bulk_create(
            Criterion(
                criteria_set=cs,
                group=groups[c.group_id],
                order=c.order,
                code=c.code,
                text=c.text,
                guidance=c.guidance,
                evidence_expected=c.evidence_expected,
                max_points=c.max_points,
                rule=c.rule,
                rule_params=dict(c.rule_params or {}),
            )
            for c in source.criteria.order_by("group__order", "order", "pk")
        )
        RatingBand.objects.bulk_create(
            RatingBand(criteria_set=cs, band=b.band, min_points=b.min_points)
            for b in source.bands.all()
        )
        audit.record(
            actor=actor,
            action="criteria_set_copy",
            obj=cs,
            unit=owner,
            changes=audit.diff(None, audit.snapshot(cs, CriteriaSet.AUDIT_FIELDS))
            | {"copied_from": [None, source.pk]},
            note=str(source),
        )
    return cs


def update_set(actor, criteria_set: CriteriaSet, *, title, legal_basis="", year=None):
    """Change the title, legal basis or year of a draft set."""
    with transaction.atomic():
        cs = _locked(actor, criteria_set)
        errors: dict = {}
        title = _clean_text(title, "title", errors, max_length=300)
        legal_basis = _clean_text(
            legal_basis, "legal_basis", errors, required=False, max_length=300
        )
        new_year = cs.year if year in (None, "") else _clean_year(year, errors)
        if new_year and new_year != cs.year and _year_taken(cs.owner, new_year, cs.pk):
            errors["year"] = _("%(owner)s already has a criteria set for %(year)d.") % {
                "owner": cs.owner.name,
                "year": new_year,
            }
        if errors:
            raise ValidationError(errors)
        before = audit.snapshot(cs, CriteriaSet.AUDIT_FIELDS)
        cs.title, cs.legal_basis, cs.year = title, legal_basis, new_year
        cs.save(update_fields=["title", "legal_basis", "year"])
        changes = audit.diff(before, audit.snapshot(cs, CriteriaSet.AUDIT_FIELDS))
        if changes:
            _record(actor, "criteria_set_update", cs, cs, changes)
    criteria_set.refresh_from_db()
    return criteria_set


# --- groups ------------------------------------------------------------------------


def save_group(
    actor, criteria_set: CriteriaSet, *, group: CriteriaGroup | None = None, code, title, order=None
) -> CriteriaGroup:
    """Add a group to a draft set, or change one of its groups."""
    with transaction.atomic():
        cs = _locked(actor, criteria_set)
        if group is not None and group.criteria_set_id != cs.pk:
            raise ValidationError(_("This group belongs to another criteria set."))
        errors: dict = {}
        code = _clean_text(code, "code", errors, max_length=20)
        title = _clean_text(title, "title", errors, max_length=300)
        if code and cs.groups.filter(code=code).exclude(pk=getattr(group, "pk", None)).exists():
            errors["code"] = _("Another group of this set has the code %(code)s.") % {"code": code}
        order = _clean_order(order, errors)
        if errors:
            raise ValidationError(errors)
        before = audit.snapshot(group, CriteriaGroup.AUDIT_FIELDS) if group else None
        if group is None:
            group = CriteriaGroup(
                criteria_set=cs, order=_next_order(cs.groups) if order is None else order
            )
        elif order is not None:
            group.order = order
        group.code, group.title = code, title
        group.save()
        _record_if_changed(actor, "criteria_group_save", group, cs, before)
    return group


def delete_group(actor, group: CriteriaGroup) -> None:
    """Remove a group and its criteria from a draft set."""
    with transaction.atomic():
        cs = _locked(actor, group.criteria_set)
        group = CriteriaGroup.objects.get(pk=group.pk, criteria_set=cs)
        codes = list(group.criteria.order_by("order", "pk").values_list("code", flat=True))
        before = audit.snapshot(group, CriteriaGroup.AUDIT_FIELDS)
        label = str(group)
        group_pk = group.pk
        group.delete()
        _record_deletion(
            actor,
            "criteria_group_delete",
            CriteriaGroup,
            group_pk,
            label,
            cs,
            audit.diff(before, None) | {"criteria": [codes, None]},
        )


def _clean_order(order, errors: dict) -> int | None:
    if order in (None, ""):
        return None
    try:
        order = int(order)
    except (TypeError, ValueError):
        errors["order"] = _("Enter a whole number.")
        return None
    if not 0 <= order <= 32767:
        errors["order"] = _("Enter a whole number between 0 and 32767.")
        return None
    return order


# --- criteria ----------------------------------------------------------------------


def known_rule_keys() -> list[str]:
    from . import rules

    return sorted(set(RULE_KEYS) | set(rules.RULES))


def clean_rule_params(rule: str, params) -> dict:
    """The parameters of `rule` as stored: the rule's declared parameters converted to
    their kind (an unknown name or a value that is not a number is an error). A rule
    not yet registered keeps its parameters as given (numbers and text only)."""
    from . import rules

    if not rule:
        return {}
    params = params or {}
    if not isinstance(params, dict):
        raise ValidationError(
            {"rule_params": _("The rule parameters must be a list of names and values.")}
        )
    declared = rules.RULES.get(rule)
    if declared is None:
        clean = {}
        for name, value in params.items():
            if not isinstance(value, int | float | str | bool) or value is None:
                raise ValidationError(
                    {"rule_params": _("“%(name)s” must be a number.") % {"name": name}}
                )
            clean[str(name)] = value
        return clean
    by_name = {p.name: p for p in declared.params}
    unknown = sorted(set(params) - set(by_name))
    if unknown:
        raise ValidationError(
            {
                "rule_params": _("The rule “%(rule)s” has no parameter %(names)s.")
                % {"rule": declared.label, "names": ", ".join(unknown)}
            }
        )
    clean = {}
    for name, value in params.items():
        if value is None or value == "":
            continue
        param = by_name[name]
        try:
            number = parse_points(value)
            if number is None:
                continue
            if param.kind is int:
                if number != number.to_integral_value():
                    raise ValueError(value)
                clean[name] = int(number)
            elif param.kind is float:
                clean[name] = float(number)
            else:
                clean[name] = str(number)
        except (ValueError, TypeError, InvalidOperation):
            raise ValidationError(
                {"rule_params": _("“%(label)s” must be a number.") % {"label": param.label or name}}
            ) from None
        if number < 0:
            raise ValidationError(
                {
                    "rule_params": _("“%(label)s” cannot be negative.")
                    % {"label": param.label or name}
                }
            )
    return clean


def save_criterion(
    actor,
    criteria_set: CriteriaSet,
    *,
    criterion: Criterion | None = None,
    group: CriteriaGroup,
    code,
    text,
    guidance="",
    evidence_expected="",
    max_points,
    rule="",
    rule_params=None,
    order=None,
) -> Criterion:
    """Add a criterion to a draft set, or change one of its criteria."""
    with transaction.atomic():
        cs = _locked(actor, criteria_set)
        if criterion is not None and criterion.criteria_set_id != cs.pk:
            raise ValidationError(_("This criterion belongs to another criteria set."))
        errors: dict = {}
        if group is None or group.criteria_set_id != cs.pk:
            errors["group"] = _("Choose a group of this criteria set.")
        code = _clean_text(code, "code", errors, max_length=20)
        text = _clean_text(text, "text", errors)
        guidance = (guidance or "").strip()
        evidence_expected = (evidence_expected or "").strip()
        if (
            code
            and cs.criteria.filter(code=code).exclude(pk=getattr(criterion, "pk", None)).exists()
        ):
            errors["code"] = _("Another criterion of this set has the code %(code)s.") % {
                "code": code
            }
        try:
            points = parse_points(max_points)
        except ValueError:
            points = None
            errors["max_points"] = _("Enter a number of points.")
        else:
            if points is None:
                errors["max_points"] = _("Enter a number of points.")
            elif points <= 0 or points > MAX_POINTS_LIMIT:
                errors["max_points"] = _("The maximum points must be above 0 and at most 1000.")
            elif points != points.quantize(Decimal("0.01")):
                errors["max_points"] = _("At most two decimal places.")
        rule = (rule or "").strip()
        if rule and rule not in known_rule_keys():
            errors["rule"] = _("There is no rule “%(rule)s”.") % {"rule": rule}
        order = _clean_order(order, errors)
        params = {}
        if not errors.get("rule"):
            try:
                params = clean_rule_params(rule, rule_params)
            except ValidationError as exc:
                errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)
        before = audit.snapshot(criterion, Criterion.AUDIT_FIELDS) if criterion else None
        if criterion is None:
            criterion = Criterion(
                criteria_set=cs, order=_next_order(group.criteria) if order is None else order
            )
        elif order is not None:
            criterion.order = order
        criterion.group = group
        criterion.code, criterion.text = code, text
        criterion.guidance, criterion.evidence_expected = guidance, evidence_expected
        criterion.max_points = points.quantize(Decimal("0.01"))
        criterion.rule, criterion.rule_params = rule, params
        criterion.save()
        _record_if_changed(actor, "criterion_save", criterion, cs, before)
    return criterion


def delete_criterion(actor, criterion: Criterion) -> None:
    """Remove a criterion from a draft set."""
    with transaction.atomic():
        cs = _locked(actor, criterion.criteria_set)
        criterion = Criterion.objects.get(pk=criterion.pk, criteria_set=cs)
        before = audit.snapshot(criterion, Criterion.AUDIT_FIELDS)
        label, pk = str(criterion), criterion.pk
        criterion.delete()
        _record_deletion(
            actor, "criterion_delete", Criterion, pk, label, cs, audit.diff(before, None)
        )


# --- bands -------------------------------------------------------------------------


def _clean_bands(bands) -> list[tuple[str, Decimal]]:
    """[(band, min_points)] best first from {band: points} or [(band, points)].

    A band whose bound is left empty is not used that year. The bounds must fall
    strictly from the best band to the lowest, and the lowest band used starts at 0,
    so every total gets exactly one band."""
    items = bands.items() if isinstance(bands, dict) else bands
    given: dict[str, Decimal | None] = {}
    errors: dict = {}
    for band, value in items:
        band = str(band)
        if band not in BAND_ORDER:
            errors["bands"] = _("There is no band “%(band)s”.") % {"band": band}
            continue
        try:
            given[band] = parse_points(value)
        except ValueError:
            errors[band] = _("Enter a number of points.")
    if errors:
        raise ValidationError(errors)
    rows = [(b, given[b]) for b in BAND_ORDER if given.get(b) is not None]
    if not rows:
        raise ValidationError({"bands": _("Give the lower bound of at least one band.")})
    for band, points in rows:
        if points < 0 or points > MAX_POINTS_LIMIT:
            errors[band] = _("Enter a number between 0 and 1000.")
        elif points != points.quantize(Decimal("0.01")):
            errors[band] = _("At most two decimal places.")
    if errors:
        raise ValidationError(errors)
    labels = dict(Band.choices)
    for (upper, upper_points), (lower, lower_points) in zip(rows, rows[1:], strict=False):
        if lower_points >= upper_points:
            errors[lower] = _(
                "The lower bound of “%(lower)s” must be below that of “%(upper)s” (%(points)s)."
            ) % {
                "lower": labels[lower],
                "upper": labels[upper],
                "points": points_text(upper_points),
            }
    if errors:
        raise ValidationError(errors)
    lowest, lowest_points = rows[-1]
    if lowest_points != 0:
        raise ValidationError(
            {
                lowest: _("The lowest band (“%(band)s”) must start at 0 points.")
                % {"band": labels[lowest]}
            }
        )
    return rows


def _bands_json(rows) -> dict:
    return {band: f"{Decimal(points).normalize():f}" for band, points in rows}


def save_bands(actor, criteria_set: CriteriaSet, bands) -> list[RatingBand]:
    """Replace the rating bands of a draft set (see `_clean_bands`)."""
    with transaction.atomic():
        cs = _locked(actor, criteria_set)
        rows = _clean_bands(bands)
        before = _bands_json((b.band, b.min_points) for b in cs.bands.all())
        after = _bands_json(rows)
        if before == after:
            return list(cs.bands.all())
        cs.bands.all().delete()
        created = RatingBand.objects.bulk_create(
            RatingBand(criteria_set=cs, band=band, min_points=points) for band, points in rows
        )
        audit.record(
            actor=actor,
            action="rating_bands_save",
            obj=cs,
            unit=cs.owner,
            changes={"bands": [before, after]},
        )
    return created


# --- publishing --------------------------------------------------------------------


def publication_problems(criteria_set: CriteriaSet) -> list[str]:
    """Why the set cannot be published yet (empty: it can)."""
    problems = []
    criteria = list(criteria_set.criteria.all())
    if not criteria:
        problems.append(_("The set has no criterion."))
    total = sum((c.max_points for c in criteria), Decimal(0))
    if criteria and total <= 0:
        problems.append(_("The maximum points of the criteria add up to 0."))
    empty = [
        g.code for g in criteria_set.groups.all() if not any(c.group_id == g.pk for c in criteria)
    ]
    if empty:
        problems.append(
            _("These groups have no criterion: %(codes)s.") % {"codes": ", ".join(empty)}
        )
    bands = [(b.band, b.min_points) for b in criteria_set.bands.all()]
    try:
        rows = _clean_bands(bands)
    except ValidationError as exc:
        problems.extend(exc.messages)
    else:
        if total > 0 and rows[0][1] > total:
            problems.append(
                _(
                    "The best band starts at %(points)s points, above the %(total)s points "
                    "the set can give."
                )
                % {"points": points_text(rows[0][1]), "total": points_text(total)}
            )
    return problems


def publish_set(actor, criteria_set: CriteriaSet) -> CriteriaSet:
    """Freeze the set: campaigns may then use it, and nobody can change it."""
    with transaction.atomic():
        cs = _locked(actor, criteria_set)
        problems = publication_problems(cs)
        if problems:
            raise ValidationError(problems, code="incomplete")
        before = audit.snapshot(cs, CriteriaSet.AUDIT_FIELDS)
        cs.status = CriteriaSet.Status.PUBLISHED
        cs.published_at = timezone.now()
        cs.published_by = actor if getattr(actor, "is_authenticated", False) else None
        cs.save(update_fields=["status", "published_at", "published_by"])
        total = sum((c.max_points for c in cs.criteria.all()), Decimal(0))
        audit.record(
            actor=actor,
            action="criteria_set_publish",
            obj=cs,
            unit=cs.owner,
            changes=audit.diff(before, audit.snapshot(cs, CriteriaSet.AUDIT_FIELDS))
            | {"total_points": [None, str(total)]},
        )
    criteria_set.refresh_from_db()
    return criteria_set


# --- XLSX (criteria_xlsx does the work) --------------------------------------------


def export_set_xlsx(criteria_set: CriteriaSet) -> bytes:
    from .criteria_xlsx import export_set

    return export_set(criteria_set)


def import_set_xlsx(actor, criteria_set: CriteriaSet, fileobj, *, file_name: str = ""):
    from .criteria_xlsx import import_set

    return import_set(actor, criteria_set, fileobj, file_name=file_name)

"""Every write of the yearly campaign (issue 6, item 3): permission checked, atomic,
recorded in the audit trail.

Stages of an assessment: draft (the agency self-assesses) -> submitted (the head
submitted) -> appraised (the DoST released its appraisal; the agency may contest
until `contest_due`, once) -> contested (the DoST decides) -> final. An appraised
assessment that is not contested in time becomes final by the daily sweep
(`finalize_uncontested`). Closing the campaign fixes every final total, band and rank.

Every function takes `today` (default: the local date), which drives the deadline
checks and the date of the stamps (10:00 local time on that day when given), so the
demo can replay past years.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from govqms.core import audit, files
from govqms.core import notifications as notes
from govqms.core.calendar import Calendar
from govqms.core.replay import stamp_for, today_or_local, user_or_system
from govqms.organizations import selectors as org
from govqms.organizations.models import Membership, Role, Unit

from . import rules, scoring
from .models import (
    DEFAULT_BANDS,
    Assessment,
    Campaign,
    CriteriaSet,
    Criterion,
    Score,
    ScoreEvidence,
)

EDITOR_ROLES = {Role.ISO_SECRETARY, Role.HEAD}
DEFAULT_MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
TWO_PLACES = Decimal("0.01")

# The fields of a score each stage writes (and records in the audit trail).
PROPOSAL = ["proposed_points", "self_points"]
SELF_SCORE = ["self_points", "self_comment"]
APPRAISAL = ["appraised_points", "appraisal_reason"]
DECISION = ["contest_outcome", "decided_points", "decision_reason"]


# ---------------------------------------------------------------- helpers


def _record(actor, action, obj, unit, before=None, fields=None, note=""):
    fields = fields or obj.AUDIT_FIELDS
    audit.record(
        actor=user_or_system(actor),
        action=action,
        obj=obj,
        unit=unit,
        changes=audit.diff(before, audit.snapshot(obj, fields)),
        note=note,
    )


def _require_admin(actor, owner: Unit) -> None:
    if actor is None:
        return
    if not org.is_admin_of(actor, owner):
        raise PermissionDenied(
            _("Only a DoST administrator of %(owner)s may do this.") % {"owner": owner}
        )


def _require_overseer(actor, owner: Unit) -> None:
    if actor is None:
        return
    if not org.is_overseer_of(actor, owner):
        raise PermissionDenied(_("Only the DoST of %(owner)s may do this.") % {"owner": owner})


def _require_editor(actor, unit: Unit) -> None:
    if actor is None:
        return
    if not (org.roles_in(actor, unit) & EDITOR_ROLES):
        raise PermissionDenied(
            _("Only the ISO secretary or the head of %(unit)s may edit its self-assessment.")
            % {"unit": unit}
        )


def _require_head(actor, unit: Unit, what: str) -> None:
    if actor is None:
        return
    if Role.HEAD not in org.roles_in(actor, unit):
        raise PermissionDenied(
            _("Only the head of %(unit)s may %(what)s.") % {"unit": unit, "what": what}
        )


def can_edit_self(user, assessment: Assessment) -> bool:
    return (
        assessment.status == Assessment.Status.DRAFT
        and assessment.campaign.status == Campaign.Status.OPEN
        and bool(org.roles_in(user, assessment.unit) & EDITOR_ROLES)
    )


def is_head(user, unit: Unit) -> bool:
    return Role.HEAD in org.roles_in(user, unit)


def _points(value, criterion: Criterion, *, allow_none: bool = True) -> Decimal | None:
    """A number of points for `criterion`, within 0..max_points (2 decimals)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_none:
            return None
        raise ValidationError(
            _("Criterion %(code)s: give the points.") % {"code": criterion.code}, code="points"
        )
    try:
        points = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            _("Criterion %(code)s: “%(value)s” is not a number of points.")
            % {"code": criterion.code, "value": value},
            code="points",
        ) from None
    if not points.is_finite() or points < 0 or points > criterion.max_points:
        raise ValidationError(
            _("Criterion %(code)s: the points must be between 0 and %(max)s.")
            % {"code": criterion.code, "max": criterion.max_points},
            code="points",
        )
    if points != points.quantize(TWO_PLACES):
        raise ValidationError(
            _("Criterion %(code)s: give the points with at most two decimals.")
            % {"code": criterion.code},
            code="points",
        )
    return points.quantize(TWO_PLACES)


def _scores(assessment: Assessment) -> list[Score]:
    return list(
        assessment.scores.select_related("criterion").order_by(
            "criterion__group__order", "criterion__order", "criterion__pk"
        )
    )


def _by_criterion(assessment: Assessment, entries: dict) -> list[tuple[Score, dict]]:
    """Pair each entry with its score; unknown criteria are refused."""
    scores = {s.criterion_id: s for s in _scores(assessment)}
    pairs = []
    for key, entry in entries.items():
        try:
            score = scores[int(key)]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(
                _("Criterion %(key)s is not part of this assessment.") % {"key": key},
                code="criterion",
            ) from None
        pairs.append((score, entry or {}))
    return pairs


def _codes(scores) -> str:
    return ", ".join(s.criterion.code for s in scores)


def bands_of(criteria_set: CriteriaSet) -> list[tuple[str, Decimal]]:
    rows = [(b.band, b.min_points) for b in criteria_set.bands.all()]
    return rows or list(DEFAULT_BANDS)


def _open(campaign: Campaign) -> None:
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError(_("The campaign “%(title)s” is closed.") % {"title": campaign})


def _lock(assessment: Assessment) -> Assessment:
    """The assessment re-read under a row lock (concurrent submits and releases)."""
    return (
        Assessment.objects.select_for_update()
        .select_related("campaign", "unit")
        .get(pk=assessment.pk)
    )


def _contest_due(unit: Unit, today: dt.date, days: int) -> dt.date:
    if days <= 0:
        return today
    return Calendar.for_scope(unit.province).next_working_day(today, days)


def _members(unit: Unit, roles=(Role.ISO_SECRETARY, Role.HEAD)):
    return [
        m.user
        for m in Membership.objects.active_on()
        .filter(unit=unit, role__in=roles)
        .select_related("user")
    ]


def dost_people(owner: Unit):
    """The DoST officers and administrators of the campaign's owner (who get its notices)."""
    return _members(owner, roles=(Role.DOST_OFFICER, Role.DOST_ADMIN))


def _url(name: str, *args) -> str:
    """The page of a notification ("" where the URLconf has no such page)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _notify(users, assessment: Assessment, event: str, subject: str, *, url: str, body=None):
    """One notice per user and event of this assessment (the key keeps it idempotent);
    the body is the campaign's title unless given."""
    notes.notify(
        users,
        key=f"{event}:{assessment.pk}",
        subject=subject,
        body=assessment.campaign.title if body is None else body,
        url=url,
        unit=assessment.unit,
        kind="assessment",
    )


def assessment_url(assessment: Assessment) -> str:
    return _url("assessment_detail", assessment.unit_id, assessment.pk)


def appraisal_url(assessment: Assessment) -> str:
    return _url("assessment_appraise", assessment.pk)


def participants(owner: Unit, reference_date: dt.date):
    """The agencies in the DoST's remit on the reference date.

    The tree is today's: a merger moves the agencies under the new province's root.
    So for a province root the participants are the agencies of its province active
    on that day (a 2022 campaign of today's Bắc Ninh gets the 166 agencies of 2022),
    and below the root those of the owner's subtree."""
    units = Unit.objects.active_on(reference_date).filter(in_dost_remit=True)
    if owner.parent_id is None:
        units = units.filter(province=owner.province)
    else:
        units = units.filter(path__startswith=owner.path)
    return units.order_by("name", "pk")


# ---------------------------------------------------------------- the campaign


@transaction.atomic
def open_campaign(
    actor,
    *,
    owner: Unit,
    year: int,
    criteria_set: CriteriaSet,
    title: str = "",
    reference_date: dt.date | None = None,
    self_assessment_due: dt.date,
    appraisal_due: dt.date,
    contest_working_days: int = 5,
    today: dt.date | None = None,
) -> Campaign:
    """Open the year's campaign: one draft assessment per agency in the remit, one score
    per criterion; auto-scored criteria get their proposal, prefilled as self points."""
    _require_admin(actor, owner)
    day = today_or_local(today)
    if criteria_set.owner_id != owner.pk:
        raise ValidationError(_("This criteria set belongs to another oversight unit."))
    if criteria_set.status != CriteriaSet.Status.PUBLISHED:
        raise ValidationError(
            _(
                "The criteria set “%(set)s” is not published yet: "
                "publish it before opening the campaign."
            )
            % {"set": criteria_set}
        )
    if criteria_set.year != year:
        raise ValidationError(
            _("The criteria set “%(set)s” is for %(set_year)s, not %(year)s.")
            % {"set": criteria_set, "set_year": criteria_set.year, "year": year}
        )
    if Campaign.objects.filter(owner=owner, year=year).exists():
        raise ValidationError(_("A campaign for %(year)s is already open.") % {"year": year})
    if not self_assessment_due or not appraisal_due:
        raise ValidationError(_("Give the self-assessment and appraisal deadlines."))
    if appraisal_due < self_assessment_due:
        raise ValidationError(
            _("The appraisal deadline must not be before the self-assessment deadline.")
        )
    if (
        contest_working_days is None
        or int(contest_working_days) < 1
        or int(contest_working_days) > 60
    ):
        raise ValidationError(_("The time to contest must be between 1 and 60 working days."))
    criteria = list(criteria_set.criteria.select_related("group"))
    if not criteria:
        raise ValidationError(
            _("The criteria set “%(set)s” has no criteria.") % {"set": criteria_set}
        )
    reference_date = reference_date or day
    campaign = Campaign(
        owner=owner,
        year=year,
        title=(title or "").strip()
        or _("Assessment of the quality management systems %(year)s") % {"year": year},
        criteria_set=criteria_set,
        reference_date=reference_date,
        self_assessment_due=self_assessment_due,
        appraisal_due=appraisal_due,
        contest_working_days=int(contest_working_days),
        opened_by=user_or_system(actor),
    )
    campaign.full_clean(exclude=["opened_by"])
    campaign.save()
    if today is not None:
        Campaign.objects.filter(pk=campaign.pk).update(opened_at=stamp_for(today))
    _record(actor, "campaign_open", campaign, owner)

    units = list(participants(owner, reference_date))
    assessments = Assessment.objects.bulk_create(
        [Assessment(campaign=campaign, unit=u) for u in units]
    )
    auto = [c for c in criteria if c.rule]
    stamp = stamp_for(today)
    scores = []
    for assessment in assessments:
        proposals = rules.propose_many(auto, assessment.unit, year) if auto else {}
        for criterion in criteria:
            proposal = proposals.get(criterion.pk)
            score = Score(assessment=assessment, criterion=criterion)
            if proposal is not None:
                points = min(max(Decimal(proposal.points), Decimal(0)), criterion.max_points)
                score.proposed_points = points.quantize(TWO_PLACES)
                score.proposal_summary = proposal.summary
                score.proposal_evidence = [e.as_json() for e in proposal.evidence]
                score.proposed_at = stamp
                score.self_points = score.proposed_points
            scores.append(score)
        prefilled = [s.self_points for s in scores[-len(criteria) :] if s.self_points is not None]
        assessment.self_total = scoring.total(prefilled) if prefilled else None
    Score.objects.bulk_create(scores, batch_size=2000)
    if auto:
        Assessment.objects.bulk_update(assessments, ["self_total"], batch_size=500)
    for assessment in assessments:
        audit.record(
            actor=user_or_system(actor),
            action="assessment_open",
            obj=assessment,
            unit=assessment.unit,
            changes=audit.diff(None, audit.snapshot(assessment, ["status", "self_total"])),
            note=campaign.title,
        )
    people: dict = {}
    for m in (
        Membership.objects.active_on()
        .filter(unit__in=units, role__in=(Role.ISO_SECRETARY, Role.HEAD))
        .select_related("user")
    ):
        people.setdefault(m.unit_id, []).append(m.user)
    for assessment in assessments:
        _notify(
            people.get(assessment.unit_id, []),
            assessment,
            "assessment_open",
            _("Yearly assessment %(year)s: self-assess by %(due)s")
            % {"year": year, "due": self_assessment_due.strftime("%d/%m/%Y")},
            url=assessment_url(assessment),
        )
    return campaign


@transaction.atomic
def update_campaign(
    actor,
    campaign: Campaign,
    *,
    title: str,
    self_assessment_due: dt.date,
    appraisal_due: dt.date,
    contest_working_days: int,
    today: dt.date | None = None,
) -> Campaign:
    """Change the title and deadlines of an open campaign (DoST administrator)."""
    _require_admin(actor, campaign.owner)
    _open(campaign)
    before = audit.snapshot(campaign, Campaign.AUDIT_FIELDS)
    if appraisal_due < self_assessment_due:
        raise ValidationError(
            _("The appraisal deadline must not be before the self-assessment deadline.")
        )
    if int(contest_working_days) < 1 or int(contest_working_days) > 60:
        raise ValidationError(_("The time to contest must be between 1 and 60 working days."))
    campaign.title = title.strip() or campaign.title
    campaign.self_assessment_due = self_assessment_due
    campaign.appraisal_due = appraisal_due
    campaign.contest_working_days = int(contest_working_days)
    campaign.save()
    _record(actor, "campaign_update", campaign, campaign.owner, before)
    return campaign


# ---------------------------------------------------------------- self-assessment


@transaction.atomic
def refresh_proposals(actor, assessment: Assessment, today: dt.date | None = None) -> int:
    """Recompute the proposals of the auto-scored criteria from the records. While the
    agency self-assesses, a self score that still equals the old proposal (or is
    empty) follows the new one. Returns the number of criteria proposed."""
    assessment = _lock(assessment)
    campaign = assessment.campaign
    _open(campaign)
    agency_side = actor is not None and not org.is_overseer_of(actor, campaign.owner)
    if agency_side:
        _require_editor(actor, assessment.unit)
        if assessment.status != Assessment.Status.DRAFT:
            raise ValidationError(
                _("The self-assessment was submitted: it can no longer be changed.")
            )
    if assessment.status == Assessment.Status.FINAL:
        raise ValidationError(_("This assessment is final."))
    scores = [s for s in _scores(assessment) if s.criterion.rule]
    proposals = rules.propose_many([s.criterion for s in scores], assessment.unit, campaign.year)
    stamp = stamp_for(today)
    follow = assessment.status == Assessment.Status.DRAFT
    changed = []
    for score in scores:
        proposal = proposals.get(score.criterion_id)
        if proposal is None:
            continue
        before = audit.snapshot(score, PROPOSAL)
        points = min(max(Decimal(proposal.points), Decimal(0)), score.criterion.max_points)
        points = points.quantize(TWO_PLACES)
        if follow and (score.self_points is None or score.self_points == score.proposed_points):
            score.self_points = points
        score.proposed_points = points
        score.proposal_summary = proposal.summary
        score.proposal_evidence = [e.as_json() for e in proposal.evidence]
        score.proposed_at = stamp
        changed.append((score, before))
    Score.objects.bulk_update(
        [s for s, _b in changed],
        ["proposed_points", "proposal_summary", "proposal_evidence", "proposed_at", "self_points"],
    )
    for score, before in changed:
        if before != audit.snapshot(score, PROPOSAL):
            _record(actor, "assessment_proposals", score, assessment.unit, before, PROPOSAL)
    _retotal(assessment, actor, "self")
    return len(changed)


def _retotal(assessment: Assessment, actor, stage: str, unit: Unit | None = None) -> None:
    """Recompute `<stage>_total` from the scores' `<stage>_points` (None while no
    criterion has points at that stage), recorded (in `unit`'s trail, by default the
    agency's) when it changes."""
    field = f"{stage}_total"
    points = [getattr(s, f"{stage}_points") for s in assessment.scores.all()]
    new_total = scoring.total(points) if any(p is not None for p in points) else None
    if new_total != getattr(assessment, field):
        before = audit.snapshot(assessment, [field])
        setattr(assessment, field, new_total)
        assessment.save(update_fields=[field])
        _record(actor, "assessment_total", assessment, unit or assessment.unit, before, [field])


@transaction.atomic
def save_self_scores(actor, assessment: Assessment, entries: dict, today: dt.date | None = None):
    """The agency's points and comments; {criterion_pk: {"points": ..., "comment": ...}}."""
    assessment = _lock(assessment)
    _require_editor(actor, assessment.unit)
    _open(assessment.campaign)
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(_("The self-assessment was submitted: it can no longer be changed."))
    errors, changed = [], []
    for score, entry in _by_criterion(assessment, entries):
        before = audit.snapshot(score, SELF_SCORE)
        try:
            if "points" in entry:
                score.self_points = _points(entry.get("points"), score.criterion)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        if "comment" in entry:
            score.self_comment = (entry.get("comment") or "").strip()
        if audit.snapshot(score, SELF_SCORE) != before:
            changed.append((score, before))
    if errors:
        raise ValidationError(errors)
    Score.objects.bulk_update([s for s, _b in changed], SELF_SCORE)
    for score, before in changed:
        _record(actor, "assessment_self_score", score, assessment.unit, before, SELF_SCORE)
    _retotal(assessment, actor, "self")
    return assessment


def max_evidence_bytes() -> int:
    return files.setting_bytes("GOVQMS_MAX_ASSESSMENT_FILE_BYTES", DEFAULT_MAX_EVIDENCE_BYTES)


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    # Browsers read "/\host" as "//host" and drop tabs and newlines, so such links
    # could lead to another site or inject into headers: refused.
    unsafe = "\\" in url or any(ch.isspace() or ord(ch) < 32 for ch in url)
    if not unsafe and url.startswith("/") and not url.startswith("//"):
        return url
    if not unsafe and url.lower().startswith(("https://", "http://")):
        return url
    raise ValidationError(
        _(
            "The link must be a govqms page (starting with /) or a web address (http:// or https://)."
        )
    )


@transaction.atomic
def add_evidence(
    actor, score: Score, *, label: str, url: str = "", file=None, today: dt.date | None = None
) -> ScoreEvidence:
    """Attach evidence to a score: a link to a record or an uploaded, checked file."""
    assessment = _lock(score.assessment)
    _require_editor(actor, assessment.unit)
    _open(assessment.campaign)
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(_("The self-assessment was submitted: it can no longer be changed."))
    label = (label or "").strip()
    url = _clean_url(url)
    if not label:
        raise ValidationError(_("Describe the evidence."))
    if not url and file is None:
        raise ValidationError(_("Give a link to the record or upload a file."))
    evidence = ScoreEvidence(
        score=score, label=label[:300], url=url, added_by=user_or_system(actor)
    )
    if file is not None:
        name = getattr(file, "name", "") or "file"
        kind = files.check_file(file, name, limit=max_evidence_bytes(), images=True)
        evidence.file_name = files.display_name(name)[:255]
        evidence.file_size = files.size_of(file)
        evidence.file_sha256 = files.sha256(file)
        files.store(evidence.file, file, kind)
    evidence.save()
    audit.record(
        actor=user_or_system(actor),
        action="assessment_evidence",
        obj=evidence,
        unit=assessment.unit,
        changes=audit.diff(None, audit.snapshot(evidence, ScoreEvidence.AUDIT_FIELDS)),
        note=score.criterion.code,
    )
    return evidence


@transaction.atomic
def remove_evidence(actor, evidence: ScoreEvidence, today: dt.date | None = None) -> None:
    assessment = _lock(evidence.score.assessment)
    _require_editor(actor, assessment.unit)
    _open(assessment.campaign)
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(_("The self-assessment was submitted: it can no longer be changed."))
    before = audit.snapshot(evidence, ScoreEvidence.AUDIT_FIELDS)
    audit.record(
        actor=user_or_system(actor),
        action="assessment_evidence_remove",
        obj=evidence,
        unit=assessment.unit,
        changes=audit.diff(before, None),
        note=evidence.score.criterion.code,
    )
    if evidence.file:
        evidence.file.delete(save=False)
    evidence.delete()


@transaction.atomic
def submit_self_assessment(actor, assessment: Assessment, today: dt.date | None = None):
    """The head submits; every criterion must be scored."""
    assessment = _lock(assessment)
    _require_head(actor, assessment.unit, _("submit the self-assessment"))
    _open(assessment.campaign)
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(_("The self-assessment was already submitted."))
    scores = _scores(assessment)
    unscored = [s for s in scores if s.self_points is None]
    if unscored:
        raise ValidationError(
            _("Score every criterion before submitting. Not scored: %(codes)s.")
            % {"codes": _codes(unscored)},
            code="unscored",
        )
    before = audit.snapshot(assessment, Assessment.AUDIT_FIELDS)
    assessment.status = Assessment.Status.SUBMITTED
    assessment.self_total = scoring.total(s.self_points for s in scores)
    assessment.submitted_at = stamp_for(today)
    assessment.submitted_by = user_or_system(actor)
    assessment.save()
    _record(actor, "assessment_submit", assessment, assessment.unit, before)
    _notify(
        dost_people(assessment.campaign.owner),
        assessment,
        "assessment_submitted",
        _("%(unit)s submitted its self-assessment") % {"unit": assessment.unit},
        url=appraisal_url(assessment),
    )
    return assessment


# ---------------------------------------------------------------- appraisal


def can_appraise(assessment: Assessment, today: dt.date | None = None) -> bool:
    day = today_or_local(today)
    if assessment.campaign.status != Campaign.Status.OPEN:
        return False
    if assessment.status == Assessment.Status.SUBMITTED:
        return True
    return (
        assessment.status == Assessment.Status.DRAFT
        and day > assessment.campaign.self_assessment_due
    )


def _check_appraisable(assessment: Assessment, today) -> None:
    _open(assessment.campaign)
    if not can_appraise(assessment, today):
        if assessment.status == Assessment.Status.DRAFT:
            raise ValidationError(
                _(
                    "%(unit)s has not submitted yet: a draft can be appraised only "
                    "after the self-assessment deadline (%(due)s)."
                )
                % {
                    "unit": assessment.unit,
                    "due": assessment.campaign.self_assessment_due.strftime("%d/%m/%Y"),
                }
            )
        raise ValidationError(_("The appraisal of this assessment was already released."))


@transaction.atomic
def save_appraisal(actor, assessment: Assessment, entries: dict, today: dt.date | None = None):
    """The DoST's points; {criterion_pk: {"points": ..., "reason": ...}}. A reason is
    required where the points differ from the agency's."""
    assessment = _lock(assessment)
    _require_overseer(actor, assessment.campaign.owner)
    _check_appraisable(assessment, today)
    errors, changed = [], []
    for score, entry in _by_criterion(assessment, entries):
        before = audit.snapshot(score, APPRAISAL)
        try:
            points = _points(entry.get("points"), score.criterion)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        reason = (entry.get("reason") or "").strip()
        if points is not None and points != score.self_points and not reason:
            errors.append(
                _("Criterion %(code)s: give the reason for changing the agency's score.")
                % {"code": score.criterion.code}
            )
            continue
        score.appraised_points = points
        score.appraisal_reason = reason
        if audit.snapshot(score, APPRAISAL) != before:
            changed.append((score, before))
    if errors:
        raise ValidationError(errors)
    Score.objects.bulk_update([s for s, _b in changed], APPRAISAL)
    # The appraisal in progress goes to the DoST's audit trail: the agency's trail
    # (which its members read) must not show it before the release.
    owner = assessment.campaign.owner
    for score, before in changed:
        _record(actor, "assessment_appraise_score", score, owner, before, APPRAISAL)
    _retotal(assessment, actor, "appraised", unit=owner)
    return assessment


@transaction.atomic
def release_appraisal(actor, assessment: Assessment, today: dt.date | None = None):
    """Release the appraisal to the agency; the contest period starts."""
    assessment = _lock(assessment)
    _require_overseer(actor, assessment.campaign.owner)
    _check_appraisable(assessment, today)
    scores = _scores(assessment)
    missing = [s for s in scores if s.appraised_points is None]
    if missing:
        raise ValidationError(
            _("Appraise every criterion before releasing. Not appraised: %(codes)s.")
            % {"codes": _codes(missing)},
            code="unappraised",
        )
    day = today_or_local(today)
    before = audit.snapshot(assessment, Assessment.AUDIT_FIELDS)
    assessment.status = Assessment.Status.APPRAISED
    assessment.appraised_total = scoring.total(s.appraised_points for s in scores)
    assessment.appraised_at = stamp_for(today)
    assessment.appraised_by = user_or_system(actor)
    assessment.contest_due = _contest_due(
        assessment.unit, day, assessment.campaign.contest_working_days
    )
    assessment.save()
    _record(actor, "assessment_release", assessment, assessment.unit, before)
    _notify(
        _members(assessment.unit),
        assessment,
        "assessment_appraised",
        _("The DoST appraised your self-assessment: %(total)s points; contest by %(due)s")
        % {"total": assessment.appraised_total, "due": assessment.contest_due.strftime("%d/%m/%Y")},
        url=assessment_url(assessment),
    )
    return assessment


# ---------------------------------------------------------------- contest


def can_contest(assessment: Assessment, today: dt.date | None = None) -> bool:
    return (
        assessment.status == Assessment.Status.APPRAISED
        and assessment.contested_at is None
        and assessment.contest_due is not None
        and today_or_local(today) <= assessment.contest_due
        and assessment.campaign.status == Campaign.Status.OPEN
    )


@transaction.atomic
def contest(
    actor, assessment: Assessment, *, reason: str, items: dict, today: dt.date | None = None
):
    """The head contests the appraisal, once, by the contest deadline;
    items {criterion_pk: grounds}."""
    assessment = _lock(assessment)
    _require_head(actor, assessment.unit, _("contest the appraisal"))
    _open(assessment.campaign)
    if assessment.contested_at is not None:
        raise ValidationError(_("The appraisal can be contested only once."))
    if assessment.status != Assessment.Status.APPRAISED:
        raise ValidationError(_("Only a released appraisal can be contested."))
    if today_or_local(today) > assessment.contest_due:
        raise ValidationError(
            _("The time to contest ended on %(due)s.")
            % {"due": assessment.contest_due.strftime("%d/%m/%Y")}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the grounds of the contest."))
    pairs = [(s, (g or "").strip()) for s, g in _by_criterion(assessment, items)]
    pairs = [(s, g) for s, g in pairs if g]
    if not pairs:
        raise ValidationError(_("Choose at least one criterion to contest and give its grounds."))
    for score, grounds in pairs:
        before = audit.snapshot(score, ["contest_reason"])
        score.contest_reason = grounds
        score.save(update_fields=["contest_reason"])
        _record(
            actor, "assessment_contest_score", score, assessment.unit, before, ["contest_reason"]
        )
    before = audit.snapshot(assessment, Assessment.AUDIT_FIELDS)
    assessment.status = Assessment.Status.CONTESTED
    assessment.contest_reason = reason
    assessment.contested_at = stamp_for(today)
    assessment.contested_by = user_or_system(actor)
    assessment.save()
    _record(actor, "assessment_contest", assessment, assessment.unit, before)
    _notify(
        dost_people(assessment.campaign.owner),
        assessment,
        "assessment_contested",
        _("%(unit)s contests its appraisal") % {"unit": assessment.unit},
        url=_url("assessment_decide", assessment.pk),
        body=reason,
    )
    return assessment


@transaction.atomic
def decide_contest(actor, assessment: Assessment, decisions: dict, today: dt.date | None = None):
    """The DoST decides each contested criterion; {criterion_pk: {"accept": bool,
    "points": ..., "reason": ...}}. The assessment becomes final."""
    assessment = _lock(assessment)
    _require_overseer(actor, assessment.campaign.owner)
    _open(assessment.campaign)
    if assessment.status != Assessment.Status.CONTESTED:
        raise ValidationError(_("This assessment is not contested."))
    given = dict(_by_criterion(assessment, decisions))
    contested = [s for s in _scores(assessment) if s.contest_reason]
    errors = []
    for score in contested:
        entry = next((e for s, e in given.items() if s.pk == score.pk), None)
        if entry is None:
            errors.append(_("Criterion %(code)s: decide it.") % {"code": score.criterion.code})
            continue
        reason = (entry.get("reason") or "").strip()
        if not reason:
            errors.append(
                _("Criterion %(code)s: give the reason for the decision.")
                % {"code": score.criterion.code}
            )
            continue
        before = audit.snapshot(score, DECISION)
        if entry.get("accept"):
            try:
                points = _points(entry.get("points"), score.criterion, allow_none=False)
            except ValidationError as error:
                errors.extend(error.messages)
                continue
            score.contest_outcome = Score.ContestOutcome.ACCEPTED
            score.decided_points = points
        else:
            score.contest_outcome = Score.ContestOutcome.REJECTED
            score.decided_points = score.appraised_points
        score.decision_reason = reason
        score.save(update_fields=DECISION)
        _record(actor, "assessment_decide_score", score, assessment.unit, before, DECISION)
    if errors:
        raise ValidationError(errors)
    assessment.decided_at = stamp_for(today)
    assessment.decided_by = user_or_system(actor)
    _finalize(actor, assessment, today, action="assessment_decide")
    _rerank(assessment.campaign)
    _notify(
        _members(assessment.unit),
        assessment,
        "assessment_decided",
        _("The DoST decided your contest: final total %(total)s points")
        % {"total": assessment.final_total},
        url=assessment_url(assessment),
    )
    return assessment


# ---------------------------------------------------------------- final results


def _finalize(actor, assessment: Assessment, today, *, action: str) -> None:
    before = audit.snapshot(assessment, Assessment.AUDIT_FIELDS)
    scores = list(assessment.scores.all())
    assessment.status = Assessment.Status.FINAL
    assessment.final_total = scoring.total(s.final_points for s in scores)
    assessment.band = scoring.band_for(
        assessment.final_total, bands_of(assessment.campaign.criteria_set)
    )
    assessment.finalized_at = stamp_for(today)
    assessment.save()
    _record(actor, action, assessment, assessment.unit, before)


def _rerank(campaign: Campaign) -> None:
    """Ranks over the campaign's final assessments (ties share a rank)."""
    rows = list(
        Assessment.objects.filter(campaign=campaign)
        .select_related("unit")
        .only("pk", "status", "final_total", "rank", "unit__name")
    )
    names = {a.pk: a.unit.name for a in rows}
    ranked = scoring.ranks(
        {a.pk: a.final_total for a in rows if a.status == Assessment.Status.FINAL},
        tie_break=lambda pk: names[pk],
    )
    changed = []
    for a in rows:
        new = ranked.get(a.pk)
        if a.rank != new:
            a.rank = new
            changed.append(a)
    Assessment.objects.bulk_update(changed, ["rank"], batch_size=500)


@transaction.atomic
def finalize_uncontested(campaign: Campaign, today: dt.date | None = None) -> int:
    """Appraised assessments whose contest deadline passed become final."""
    day = today_or_local(today)
    due = list(
        Assessment.objects.select_for_update()
        .filter(
            campaign=campaign,
            campaign__status=Campaign.Status.OPEN,
            status=Assessment.Status.APPRAISED,
            contest_due__lt=day,
        )
        .select_related("campaign__criteria_set", "unit")
    )
    for assessment in due:
        _finalize(None, assessment, today, action="assessment_finalize")
    if due:
        _rerank(campaign)
    return len(due)


def finalize_all_uncontested(today: dt.date | None = None) -> int:
    """The daily sweep over every open campaign."""
    return sum(
        finalize_uncontested(c, today)
        for c in Campaign.objects.filter(status=Campaign.Status.OPEN).select_related("criteria_set")
    )


@transaction.atomic
def close_campaign(actor, campaign: Campaign, today: dt.date | None = None) -> Campaign:
    """Close the campaign (DoST administrator) once every assessment is final: final
    totals, bands and ranks are fixed."""
    campaign = (
        Campaign.objects.select_for_update()
        .select_related("owner", "criteria_set")
        .get(pk=campaign.pk)
    )
    _require_admin(actor, campaign.owner)
    _open(campaign)
    rows = list(
        Assessment.objects.filter(campaign=campaign)
        .select_related("unit")
        .prefetch_related("scores")
        .order_by("unit__name")
    )
    pending = [a for a in rows if a.status != Assessment.Status.FINAL]
    if pending:
        names = ", ".join(a.unit.name for a in pending[:10])
        if len(pending) > 10:
            names += _(" and %(n)s more") % {"n": len(pending) - 10}
        raise ValidationError(
            _("The campaign cannot be closed: %(count)s assessments are not final (%(names)s).")
            % {"count": len(pending), "names": names},
            code="not_final",
        )
    bands = bands_of(campaign.criteria_set)
    changed = []
    for a in rows:
        final_total = scoring.total(s.final_points for s in a.scores.all())
        band = scoring.band_for(final_total, bands)
        if (a.final_total, a.band) != (final_total, band):
            before = audit.snapshot(a, ["final_total", "band"])
            a.final_total, a.band = final_total, band
            changed.append((a, before))
    Assessment.objects.bulk_update([a for a, _b in changed], ["final_total", "band"])
    for a, before in changed:
        _record(actor, "assessment_total", a, a.unit, before, ["final_total", "band"])
    _rerank(campaign)
    before = audit.snapshot(campaign, Campaign.AUDIT_FIELDS)
    campaign.status = Campaign.Status.CLOSED
    campaign.closed_at = stamp_for(today)
    campaign.save(update_fields=["status", "closed_at"])
    _record(actor, "campaign_close", campaign, campaign.owner, before)
    return campaign

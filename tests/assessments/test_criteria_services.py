"""Criteria sets: the services (create, copy, edit, bands, publish, the frozen set)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from govqms.assessments import criteria as services
from govqms.assessments import rules
from govqms.assessments.default_criteria import SCHEME, create_default_set
from govqms.assessments.models import CriteriaSet, Criterion, RatingBand
from govqms.core.models import AuditEntry
from govqms.organizations.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

FROZEN = "A published criteria set is frozen."


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _default(w, year=2022):
    return create_default_set(w.dost_admin, owner=w.p, year=year)


def _set_entries(cs, action):
    return AuditEntry.objects.filter(
        object_type="assessments.criteriaset", object_id=str(cs.pk), action=action
    )


def test_default_set_is_a_100_point_scheme(world):
    cs = _default(world)
    assert cs.status == CriteriaSet.Status.DRAFT
    criteria = list(cs.criteria.select_related("group"))
    assert 15 <= len(criteria) <= 25
    assert sum(c.max_points for c in criteria) == Decimal("100")
    assert [g.code for g in cs.groups.all()] == ["1", "2", "3", "4", "5"]
    assert len(SCHEME) == 5
    # Every rule of the library is used once, on the criterion it fits.
    by_rule = {c.rule: c for c in criteria if c.rule}
    assert set(by_rule) == set(services.RULE_KEYS)
    assert by_rule["internal_audit_done"].group.code == "3"
    assert by_rule["legal_updates_on_time"].rule_params["months"] == 3
    assert all(c.code.startswith(c.group.code + ".") for c in criteria)
    assert all(c.text and c.evidence_expected for c in criteria)
    assert [(b.band, b.min_points) for b in cs.bands.all()] == [
        ("excellent", Decimal("90")),
        ("good", Decimal("80")),
        ("fair", Decimal("65")),
        ("average", Decimal("50")),
        ("weak", Decimal("0")),
    ]
    assert services.publication_problems(cs) == []
    assert _set_entries(cs, "criteria_set_create").exists()


def test_default_rule_parameters_are_parameters_of_their_rules(world):
    cs = _default(world)
    for c in cs.criteria.exclude(rule=""):
        rule = rules.RULES.get(c.rule)
        if rule is None:  # the rule library may not register every rule
            continue
        declared = {p.name for p in rule.params}
        assert set(c.rule_params) <= declared, (c.code, c.rule, c.rule_params)
        # And they convert to the rule's kinds.
        rules.params_for(rule, c.rule_params)


def test_one_set_per_year_and_owner(world):
    _default(world)
    with pytest.raises(ValidationError) as exc:
        services.create_set(world.dost_admin, owner=world.p, year=2022, title="Khác")
    assert "year" in exc.value.message_dict


def test_copy_keeps_everything_and_links_copied_from(world):
    source = _default(world, 2021)
    c11 = source.criteria.get(code="1.1")
    services.save_criterion(
        world.dost_admin,
        source,
        criterion=c11,
        group=c11.group,
        code="1.1",
        text=c11.text,
        guidance="Hướng dẫn riêng 2021",
        evidence_expected=c11.evidence_expected,
        max_points="3,5",
        rule="tthc_coverage",
        rule_params={},
    )
    services.save_bands(
        world.dost_admin,
        source,
        {"excellent": 95, "good": 85, "fair": 70, "average": 50, "weak": 0},
    )
    services.publish_set(world.dost_admin, source)

    copy = services.copy_set(world.dost_admin, source, 2022)
    assert copy.copied_from == source
    assert copy.year == 2022 and copy.status == CriteriaSet.Status.DRAFT
    assert "2022" in copy.title and "2021" not in copy.title
    assert copy.legal_basis == source.legal_basis

    def content(cs):
        return [
            (
                c.group.code,
                c.group.title,
                c.group.order,
                c.code,
                c.order,
                c.text,
                c.guidance,
                c.evidence_expected,
                c.max_points,
                c.rule,
                c.rule_params,
            )
            for c in cs.criteria.select_related("group").order_by("group__order", "order")
        ]

    assert content(copy) == content(source)
    assert content(copy)[0][6] == "Hướng dẫn riêng 2021"
    assert content(copy)[0][8] == Decimal("3.5")
    assert [(b.band, b.min_points) for b in copy.bands.all()] == [
        (b.band, b.min_points) for b in source.bands.all()
    ]
    # The copy is a separate draft: editing it leaves last year's set alone.
    criterion = copy.criteria.get(code="1.1")
    assert criterion.pk != c11.pk and criterion.group.criteria_set_id == copy.pk
    services.delete_criterion(world.dost_admin, criterion)
    assert source.criteria.filter(code="1.1").exists()
    assert _set_entries(copy, "criteria_set_copy").get().changes["copied_from"] == [
        None,
        source.pk,
    ]


def test_frozen_set_refuses_every_kind_of_edit(world):
    cs = _default(world)
    group = cs.groups.first()
    criterion = cs.criteria.first()
    services.publish_set(world.dost_admin, cs)
    cs.refresh_from_db()
    assert cs.is_frozen and cs.published_by == world.dost_admin and cs.published_at
    before = list(Criterion.objects.filter(criteria_set=cs).values_list("code", "max_points"))
    admin = world.dost_admin
    edits = [
        lambda: services.update_set(admin, cs, title="Đổi tên"),
        lambda: services.save_group(admin, cs, code="9", title="Nhóm mới"),
        lambda: services.save_group(admin, cs, group=group, code=group.code, title="Sửa"),
        lambda: services.delete_group(admin, group),
        lambda: services.save_criterion(
            admin, cs, group=group, code="9.9", text="Mới", max_points=1
        ),
        lambda: services.save_criterion(
            admin,
            cs,
            criterion=criterion,
            group=group,
            code=criterion.code,
            text="Sửa",
            max_points=criterion.max_points,
        ),
        lambda: services.delete_criterion(admin, criterion),
        lambda: services.save_bands(admin, cs, {"excellent": 80, "weak": 0}),
        lambda: services.publish_set(admin, cs),
    ]
    for edit in edits:
        with pytest.raises(ValidationError) as exc:
            edit()
        assert exc.value.messages == [FROZEN]
    assert list(Criterion.objects.filter(criteria_set=cs).values_list("code", "max_points")) == (
        before
    )
    assert cs.groups.count() == 5 and cs.bands.count() == 5


def test_the_frozen_message_is_translatable(world):
    cs = _default(world)
    services.publish_set(world.dost_admin, cs)
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        services.update_set(world.dost_admin, cs, title="x")
    from django.utils.translation import gettext

    with translation.override("vi"):
        assert exc.value.messages == [gettext(FROZEN)]


@pytest.mark.parametrize(
    "bands, field",
    [
        ({"excellent": 90, "good": 90, "fair": 65, "average": 50, "weak": 0}, "good"),
        ({"excellent": 90, "good": 95, "fair": 65, "average": 50, "weak": 0}, "good"),
        ({"excellent": 90, "good": 80, "fair": 65, "average": 50, "weak": 10}, "weak"),
        ({"excellent": 90, "good": 80, "fair": 65, "average": 50, "weak": -1}, "weak"),
        ({"excellent": "chín mươi", "weak": 0}, "excellent"),
        ({"excellent": None, "weak": None}, "bands"),
        ({"superb": 95, "weak": 0}, "bands"),
    ],
)
def test_bands_must_fall_strictly_and_start_at_zero(world, bands, field):
    cs = _default(world)
    with pytest.raises(ValidationError) as exc:
        services.save_bands(world.dost_admin, cs, bands)
    assert field in exc.value.message_dict
    assert cs.bands.count() == 5


def test_bands_may_leave_a_band_unused(world):
    cs = _default(world)
    services.save_bands(
        world.dost_admin,
        cs,
        {"excellent": "92,5", "good": 80, "fair": 65, "average": None, "weak": 0},
    )
    assert [(b.band, b.min_points) for b in cs.bands.all()] == [
        ("excellent", Decimal("92.5")),
        ("good", Decimal("80")),
        ("fair", Decimal("65")),
        ("weak", Decimal("0")),
    ]
    entry = _set_entries(cs, "rating_bands_save").get()
    assert entry.changes["bands"][1]["excellent"] == "92.5"
    # Saving the same bands again records nothing.
    services.save_bands(
        world.dost_admin, cs, {"excellent": "92.5", "good": 80, "fair": 65, "weak": 0}
    )
    assert _set_entries(cs, "rating_bands_save").count() == 1


def test_publishing_needs_criteria_points_and_valid_bands(world):
    cs = services.create_set(world.dost_admin, owner=world.p, year=2023, title="Trống")
    with pytest.raises(ValidationError) as exc:
        services.publish_set(world.dost_admin, cs)
    assert "The set has no criterion." in exc.value.messages
    group = services.save_group(world.dost_admin, cs, code="1", title="Nhóm 1")
    services.save_group(world.dost_admin, cs, code="2", title="Nhóm trống")
    services.save_criterion(
        world.dost_admin, cs, group=group, code="1.1", text="Tiêu chí", max_points=50
    )
    with pytest.raises(ValidationError) as exc:
        services.publish_set(world.dost_admin, cs)
    text = " ".join(exc.value.messages)
    assert "These groups have no criterion: 2." in text
    # The best band starts above the 50 points the set can give.
    assert "above the 50 points" in text
    # Broken bands in the database (say, an old import) are caught too.
    RatingBand.objects.filter(criteria_set=cs, band="weak").update(min_points=5)
    assert any("must start at 0" in p for p in services.publication_problems(cs))
    cs.refresh_from_db()
    assert not cs.is_frozen


def test_criterion_validation(world):
    cs = _default(world)
    group = cs.groups.first()
    admin = world.dost_admin
    cases = [
        ({"code": "1.1", "text": "x", "max_points": 1}, "code"),  # taken
        ({"code": "", "text": "x", "max_points": 1}, "code"),
        ({"code": "1.9", "text": "", "max_points": 1}, "text"),
        ({"code": "1.9", "text": "x", "max_points": 0}, "max_points"),
        ({"code": "1.9", "text": "x", "max_points": "abc"}, "max_points"),
        ({"code": "1.9", "text": "x", "max_points": "1.234"}, "max_points"),
        ({"code": "1.9", "text": "x", "max_points": 1, "rule": "no_such_rule"}, "rule"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as exc:
            services.save_criterion(admin, cs, group=group, **kwargs)
        assert field in exc.value.message_dict, kwargs
    other = services.create_set(admin, owner=world.p, year=2030, title="Khác")
    with pytest.raises(ValidationError) as exc:
        services.save_criterion(admin, other, group=group, code="1", text="x", max_points=1)
    assert "group" in exc.value.message_dict


def test_rule_parameters_are_checked_against_the_rule(world):
    rule = next((r for r in rules.RULES.values() if r.params), None)
    if rule is None:
        pytest.skip("no rule with parameters registered")
    cs = _default(world)
    group = cs.groups.first()
    param = rule.params[0]
    with pytest.raises(ValidationError) as exc:
        services.save_criterion(
            world.dost_admin,
            cs,
            group=group,
            code="1.9",
            text="x",
            max_points=1,
            rule=rule.key,
            rule_params={"no_such_param": 1},
        )
    assert "rule_params" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.save_criterion(
            world.dost_admin,
            cs,
            group=group,
            code="1.9",
            text="x",
            max_points=1,
            rule=rule.key,
            rule_params={param.name: "nhiều"},
        )
    assert "rule_params" in exc.value.message_dict
    c = services.save_criterion(
        world.dost_admin,
        cs,
        group=group,
        code="1.9",
        text="x",
        max_points=1,
        rule=rule.key,
        rule_params={param.name: "7"},
    )
    assert c.rule_params == {param.name: param.kind(7) if param.kind is not Decimal else "7"}
    # A criterion without a rule keeps no parameters.
    c = services.save_criterion(
        world.dost_admin,
        cs,
        criterion=c,
        group=group,
        code="1.9",
        text="x",
        max_points=1,
        rule="",
        rule_params={param.name: "7"},
    )
    assert c.rule == "" and c.rule_params == {}


def test_edits_are_audited_on_the_set(world):
    cs = _default(world)
    group = services.save_group(world.dost_admin, cs, code="6", title="Nhóm bổ sung")
    c = services.save_criterion(
        world.dost_admin, cs, group=group, code="6.1", text="Tiêu chí mới", max_points=2
    )
    services.save_criterion(
        world.dost_admin,
        cs,
        criterion=c,
        group=group,
        code="6.1",
        text="Tiêu chí đã sửa",
        max_points=2,
    )
    services.delete_group(world.dost_admin, group)
    assert not Criterion.objects.filter(pk=c.pk).exists()
    actions = list(
        AuditEntry.objects.filter(object_type="assessments.criteriaset", object_id=str(cs.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions[-4:] == [
        "criteria_group_save",
        "criterion_save",
        "criterion_save",
        "criteria_group_delete",
    ]
    edit = _set_entries(cs, "criterion_save").order_by("seq").last()
    assert edit.changes["text"] == ["Tiêu chí mới", "Tiêu chí đã sửa"]
    assert edit.unit == world.p and edit.actor == world.dost_admin
    deletion = _set_entries(cs, "criteria_group_delete").get()
    assert deletion.changes["criteria"] == [["6.1"], None]


def test_only_the_owners_dost_administrator_edits(world):
    cs = _default(world)
    group = cs.groups.first()
    q_admin = make_user("q_admin", "Quản trị Lạng Sơn", world.q, Role.DOST_ADMIN)
    for user in (world.dost_officer, world.a_head, world.a_secretary, world.q_officer, q_admin):
        with pytest.raises(PermissionDenied):
            services.save_group(user, cs, code="9", title="x")
        with pytest.raises(PermissionDenied):
            services.publish_set(user, cs)
        with pytest.raises(PermissionDenied):
            services.copy_set(user, cs, 2023)
        with pytest.raises(PermissionDenied):
            services.save_bands(user, cs, {"excellent": 1, "weak": 0})
        with pytest.raises(PermissionDenied):
            create_default_set(user, owner=world.p, year=2024)
    assert not cs.groups.filter(code="9").exists()
    # The same province's administrator may; so may the system (no actor).
    services.save_group(world.dost_admin, cs, code="9", title="Nhóm 9")
    services.delete_group(None, cs.groups.get(code="9"))
    assert group.pk in set(cs.groups.values_list("pk", flat=True))

"""Agencies (a dated tree with lineage), people and their roles."""

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govqms.core.text import fold


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)


class UnitKind(models.TextChoices):
    PROVINCIAL_PC = "provincial_pc", _("Provincial People's Committee")
    PROVINCIAL_PC_OFFICE = "provincial_pc_office", _("Office of the Provincial People's Committee")
    PARTY_OFFICE = "party_office", _("Party Committee Office")
    DEPARTMENT = "department", _("Department")
    SUB_DEPARTMENT = "sub_department", _("Sub-department")
    DISTRICT_PC = "district_pc", _("District People's Committee")
    DISTRICT_OFFICE = "district_office", _("District specialised office")
    COMMUNE_PC = "commune_pc", _("Commune/ward/town People's Committee")
    PUBLIC_SERVICE_UNIT = "public_service_unit", _("Public service unit")
    VERTICAL_AGENCY = "vertical_agency", _("Vertical agency")
    DOST = "dost", _("Department of Science and Technology")


class UnitQuerySet(models.QuerySet):
    def active_on(self, day: dt.date | None = None):
        day = day or timezone.localdate()
        return self.filter(
            Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        )

    def subtree_of(self, unit: "Unit"):
        return self.filter(path__startswith=unit.path)

    def search(self, query: str | None):
        qs = self
        for term in fold(query).split():
            qs = qs.filter(search_text__contains=term)
        return qs


class Unit(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=UnitKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    province = models.CharField(_("province"), max_length=100)
    # Official code of the administrative unit (province or commune) when there is one.
    admin_code = models.CharField(_("administrative unit code"), max_length=10, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    in_dost_remit = models.BooleanField(_("in the DoST's remit"), default=True)
    # Materialised path of zero-padded ids ("/0000000001/0000000007/"): subtree queries are
    # one indexed prefix match, and sorting by path lists the tree in order.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self):
        return self.name

    AUDIT_FIELDS = [
        "code",
        "name",
        "short_name",
        "name_en",
        "kind",
        "parent",
        "province",
        "admin_code",
        "valid_from",
        "valid_to",
        "in_dost_remit",
    ]

    def refresh_search_text(self):
        self.search_text = fold(f"{self.code} {self.name} {self.short_name} {self.name_en}")

    def compute_path(self) -> str:
        return f"{self.parent.path if self.parent else '/'}{self.pk:010d}/"

    def is_active_on(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    @property
    def is_active(self) -> bool:
        return self.is_active_on()

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class ChangeKind(models.TextChoices):
    MERGE = "merge", _("Merge")
    SPLIT = "split", _("Split")
    RENAME = "rename", _("Rename")
    MOVE = "move", _("Move")
    DISSOLVE = "dissolve", _("Dissolve")


class UnitChange(models.Model):
    """One restructuring event: its date, legal basis, and the units on each side."""

    kind = models.CharField(_("kind"), max_length=20, choices=ChangeKind.choices)
    date = models.DateField(_("effective date"))
    legal_basis = models.CharField(_("legal basis"), max_length=500)
    note = models.TextField(_("note"), blank=True)
    from_units = models.ManyToManyField(Unit, related_name="changes_out", verbose_name=_("from"))
    to_units = models.ManyToManyField(Unit, related_name="changes_in", verbose_name=_("to"))
    # Names, parents and other values before and after, for renames and moves.
    details = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("restructuring")
        verbose_name_plural = _("restructurings")

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class Role(models.TextChoices):
    STAFF = "staff", _("Staff")
    PROCESS_OWNER = "process_owner", _("Process owner")
    ISO_SECRETARY = "iso_secretary", _("ISO secretary")
    STEERING_MEMBER = "steering_member", _("Steering committee member")
    HEAD = "head", _("Head of agency")
    INTERNAL_AUDITOR = "internal_auditor", _("Internal auditor")
    DOST_OFFICER = "dost_officer", _("DoST officer")
    DOST_ADMIN = "dost_admin", _("DoST administrator")


AGENCY_ROLES = [
    Role.STAFF,
    Role.PROCESS_OWNER,
    Role.ISO_SECRETARY,
    Role.STEERING_MEMBER,
    Role.HEAD,
    Role.INTERNAL_AUDITOR,
]
OVERSIGHT_ROLES = [Role.DOST_OFFICER, Role.DOST_ADMIN]


class MembershipQuerySet(models.QuerySet):
    def active_on(self, day: dt.date | None = None):
        day = day or timezone.localdate()
        return self.filter(
            Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        )


class Membership(models.Model):
    """A user's role in a unit. For oversight roles the unit is the root of the
    subtree they supervise."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    # The division (phòng, bộ phận) inside the agency: documents are distributed by it.
    division = models.CharField(_("division"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    carried_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
        verbose_name=_("carried over from"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "role", "user__full_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [models.Index(fields=["user", "valid_to"])]

    AUDIT_FIELDS = [
        "user",
        "unit",
        "role",
        "title",
        "division",
        "valid_from",
        "valid_to",
        "carried_from",
    ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    @property
    def is_oversight(self) -> bool:
        return self.role in OVERSIGHT_ROLES

    def is_active_on(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

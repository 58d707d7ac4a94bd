"""Serializers of the documents API: read-only views of what the selectors return,
and the bodies of the actions (submit, decide)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import (
    Acknowledgement,
    Approval,
    ChangeLogEntry,
    Document,
    DocumentVersion,
    LegalDocument,
    VersionStatus,
)
from .selectors.documents import IN_PROGRESS, LIVE
from .services import versions


class VersionBriefSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    is_current = serializers.BooleanField(read_only=True)
    is_withdrawn = serializers.BooleanField(
        read_only=True, help_text="Superseded or obsolete: no longer in force (hết hiệu lực)."
    )

    class Meta:
        model = DocumentVersion
        fields = [
            "id",
            "document",
            "issue_no",
            "status",
            "status_label",
            "is_current",
            "is_withdrawn",
            "effective_from",
            "change_note",
            "content_sha256",
            "submitted_at",
            "approved_at",
            "ended_at",
            "created_at",
        ]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    owner_name = serializers.SerializerMethodField()
    current_version = serializers.SerializerMethodField(help_text="The effective version, if any.")
    open_version = serializers.SerializerMethodField(
        help_text="The version in progress (draft, in review or approved), if any."
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "unit",
            "unit_code",
            "unit_name",
            "code",
            "title",
            "kind",
            "kind_label",
            "division",
            "owner",
            "owner_name",
            "review_interval_months",
            "next_review_due",
            "template",
            "current_version",
            "open_version",
            "updated_at",
        ]
        read_only_fields = fields

    def _live(self, document) -> list[DocumentVersion]:
        live = getattr(document, "live_versions", None)
        if live is None:
            live = list(document.versions.filter(status__in=LIVE))
        return live

    def get_owner_name(self, document) -> str | None:
        return document.owner.display_name if document.owner else None

    @extend_schema_field(VersionBriefSerializer(allow_null=True))
    def get_current_version(self, document):
        for version in self._live(document):
            if version.status == VersionStatus.EFFECTIVE:
                return VersionBriefSerializer(version).data
        return None

    @extend_schema_field(VersionBriefSerializer(allow_null=True))
    def get_open_version(self, document):
        for version in self._live(document):
            if version.status in IN_PROGRESS:
                return VersionBriefSerializer(version).data
        return None


class SignOffSerializer(serializers.ModelSerializer):
    step_label = serializers.SerializerMethodField()
    decision_label = serializers.CharField(source="get_decision_display", read_only=True)
    counts = serializers.BooleanField(
        read_only=True,
        help_text="Whether the sign-off still counts: the content has not changed since.",
    )

    class Meta:
        model = Approval
        fields = [
            "id",
            "step_order",
            "step_label",
            "user",
            "user_name",
            "user_title",
            "decision",
            "decision_label",
            "comment",
            "at",
            "content_sha256",
            "counts",
        ]
        read_only_fields = fields

    def get_step_label(self, approval) -> str:
        # Default labels are stored as English message ids (services.versions).
        return _(approval.step_label) if approval.step_label else ""


class LegalReferenceSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = LegalDocument
        fields = ["id", "number", "title", "status", "status_label"]
        read_only_fields = fields


class ChangeLogEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = ChangeLogEntry
        fields = ["request", "section", "description", "issue_no", "date"]
        read_only_fields = fields


class StepSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    label = serializers.SerializerMethodField()
    role = serializers.CharField()

    def get_label(self, step) -> str:
        return _(step.label)


class VersionDetailSerializer(VersionBriefSerializer):
    document_code = serializers.CharField(source="document.code", read_only=True)
    document_title = serializers.CharField(source="document.title", read_only=True)
    unit = serializers.IntegerField(source="document.unit_id", read_only=True)
    sign_offs = SignOffSerializer(source="approvals", many=True, read_only=True)
    legal_references = LegalReferenceSerializer(many=True, read_only=True)
    change_log = serializers.SerializerMethodField()
    current_step = serializers.SerializerMethodField(
        help_text="The sign-off step the version waits for, while in review."
    )

    class Meta(VersionBriefSerializer.Meta):
        fields = [
            *VersionBriefSerializer.Meta.fields,
            "document_code",
            "document_title",
            "unit",
            "content",
            "sign_offs",
            "current_step",
            "legal_references",
            "change_log",
        ]
        read_only_fields = fields

    @extend_schema_field(ChangeLogEntrySerializer(many=True))
    def get_change_log(self, version):
        return ChangeLogEntrySerializer(versions.change_log(version), many=True).data

    @extend_schema_field(StepSerializer(allow_null=True))
    def get_current_step(self, version):
        step = versions.current_step(version)
        return StepSerializer(step).data if step else None


class AcknowledgementSerializer(serializers.ModelSerializer):
    document = serializers.IntegerField(source="version.document_id", read_only=True)
    document_code = serializers.CharField(source="version.document.code", read_only=True)
    document_title = serializers.CharField(source="version.document.title", read_only=True)
    unit = serializers.IntegerField(source="version.document.unit_id", read_only=True)
    issue_no = serializers.IntegerField(source="version.issue_no", read_only=True)
    version_status = serializers.ChoiceField(
        source="version.status", choices=VersionStatus.choices, read_only=True
    )

    class Meta:
        model = Acknowledgement
        fields = [
            "id",
            "version",
            "document",
            "document_code",
            "document_title",
            "unit",
            "issue_no",
            "version_status",
            "assigned_at",
            "acknowledged_at",
        ]
        read_only_fields = fields


class LegalDocumentSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    replaced_by_number = serializers.CharField(
        source="replaced_by.number", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = LegalDocument
        fields = [
            "id",
            "number",
            "title",
            "issuer",
            "issued",
            "effective",
            "status",
            "status_label",
            "replaced_by",
            "replaced_by_number",
            "status_changed_on",
        ]
        read_only_fields = fields


# ---------------------------------------------------------------- action bodies


class SubmitSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class DecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField(
        required=True, help_text="true to sign the step; false to return the draft."
    )
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="Required when returning the draft: what must change.",
    )


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(required=False)
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)

"""Read-only admin: every write goes through services (with its audit entry)."""

from django.contrib import admin

from govqms.organizations.admin import ReadOnlyAdmin

from .models import AdministrativeProcedure, Assignment, ProcedureRevision


@admin.register(AdministrativeProcedure)
class AdministrativeProcedureAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "field", "level", "time_limit_days", "online_level"]
    list_filter = ["level", "online_level"]
    search_fields = ["code", "name", "search_text"]


@admin.register(ProcedureRevision)
class ProcedureRevisionAdmin(ReadOnlyAdmin):
    list_display = ["procedure", "changed_at", "announced_by", "source"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["procedure", "unit", "in_scope", "document", "list_update_due", "ended_on"]
    list_filter = ["in_scope"]

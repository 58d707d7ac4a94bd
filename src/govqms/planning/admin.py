"""Admin: read-only for the records (every write goes through services, with its
audit entry); the risk level bands are set here by a superuser, through the service."""

from django.contrib import admin

from govqms.organizations.admin import ReadOnlyAdmin

from . import services
from .models import Measurement, Objective, PlanItem, Risk, RiskBands


@admin.register(Objective)
class ObjectiveAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "year", "source", "target", "last_value", "last_status"]
    list_filter = ["year", "source", "last_status"]
    search_fields = ["title", "search_text"]


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyAdmin):
    list_display = ["objective", "measured_on", "value", "status", "automatic"]


@admin.register(Risk)
class RiskAdmin(ReadOnlyAdmin):
    list_display = ["description", "unit", "kind", "likelihood", "impact", "review_date"]
    list_filter = ["kind", "closed"]


@admin.register(PlanItem)
class PlanItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "year", "kind", "start", "end", "status"]
    list_filter = ["year", "kind", "status"]


@admin.register(RiskBands)
class RiskBandsAdmin(admin.ModelAdmin):
    list_display = ["unit", "medium_from", "high_from"]

    def save_model(self, request, obj, form, change):
        saved = services.set_risk_bands(
            request.user, obj.unit, medium_from=obj.medium_from, high_from=obj.high_from
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False

"""Shared helpers of the apps' DRF views (api.py)."""

from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework import exceptions


def call_service(action):
    """Run a service call, turning Django's errors into the API's answers (403, 400
    with the messages by field, or under "non_field_errors")."""
    try:
        return action()
    except PermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc) or None) from exc
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise exceptions.ValidationError(exc.message_dict) from exc
        raise exceptions.ValidationError({"non_field_errors": exc.messages}) from exc

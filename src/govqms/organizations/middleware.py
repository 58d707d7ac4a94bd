"""Oversight users must complete a TOTP sign-in when the setting requires it."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from . import selectors

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/media/", "/i18n/", "/api/", "/public/", "/admin/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.GOVQMS_REQUIRE_2FA_FOR_OVERSIGHT
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not user.is_verified()
            and selectors.is_oversight_user(user)
        ):
            return redirect(f"{reverse('two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)

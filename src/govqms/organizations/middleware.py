"""Two-factor sign-in: users with a TOTP device, and oversight users when the setting
requires it, must complete the code step before any page."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from . import selectors

# The API authenticates by token (its token view asks for the code itself).
EXEMPT_PREFIXES = ("/accounts/", "/static/", "/media/", "/i18n/", "/api/", "/public/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not user.is_verified()
            and (
                (settings.GOVQMS_REQUIRE_2FA_FOR_OVERSIGHT and selectors.is_oversight_user(user))
                or user_has_device(user, confirmed=True)
            )
        ):
            return redirect(f"{reverse('two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)

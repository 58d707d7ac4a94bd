"""Signing in and out, passwords, two-factor (TOTP) sign-in and the API token.

The sign-in flow: a password sign-in by a user who has a confirmed TOTP device
does not log the user in yet. It leaves a short-lived "pending" mark in the
session and sends the user to the two-factor page; only a valid code there
logs the user in, already verified. A user without a device is logged in at
once; an oversight user who must use two-factor (GOVQMS_REQUIRE_2FA_FOR_OVERSIGHT)
is then sent to set up a device, and RequireTwoFactorMiddleware keeps them
there until it is done.

Every password check goes through django.contrib.auth.authenticate with the
request, so django-axes counts failures and locks the account out; failed
codes in the sign-in flow count too.
"""

import base64
import re
import time

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import (
    authenticate,
    get_user_model,
    user_logged_in,
    user_login_failed,
)
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.crypto import constant_time_compare
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .auth_forms import (
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    TOTPCodeForm,
)

PENDING_SESSION_KEY = "govqms_2fa_pending"
# How long a password sign-in waits for its code.
PENDING_MAX_AGE = 10 * 60
DEVICE_NAME = "authenticator"


# --- helpers -------------------------------------------------------------------------------


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def two_factor_mandatory(user) -> bool:
    return bool(settings.GOVQMS_REQUIRE_2FA_FOR_OVERSIGHT) and selectors.is_oversight_user(user)


def two_factor_needed(user) -> bool:
    """Whether signing in this user takes a code (or, without a device, setting one up)."""
    return confirmed_device(user) is not None or two_factor_mandatory(user)


def safe_next(request, url: str | None) -> str:
    """`url` if it is safe to redirect to, else the default landing page."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def two_factor_url(next_url: str | None = None) -> str:
    url = reverse("two_factor")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _start_pending(request, user) -> None:
    request.session[PENDING_SESSION_KEY] = {
        "user": str(user.pk),
        "backend": user.backend,
        "hash": user.get_session_auth_hash(),
        "at": int(time.time()),
    }


def _clear_pending(request) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)


def _pending_user(request):
    """The user whose password was accepted in this session and who still owes a code."""
    data = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(data, dict):
        return None
    if int(time.time()) - int(data.get("at", 0)) > PENDING_MAX_AGE:
        _clear_pending(request)
        return None
    if data.get("backend") not in settings.AUTHENTICATION_BACKENDS:
        _clear_pending(request)
        return None
    user_model = get_user_model()
    try:
        user = user_model._default_manager.get(pk=data.get("user"))
    except (user_model.DoesNotExist, ValueError, TypeError):
        _clear_pending(request)
        return None
    # A password change since (or a deactivated account) voids the pending sign-in.
    if not user.is_active or not constant_time_compare(
        data.get("hash", ""), user.get_session_auth_hash()
    ):
        _clear_pending(request)
        return None
    user.backend = data["backend"]
    return user


def _count_failed_code(request, user) -> None:
    """A wrong code in a sign-in is a failed sign-in: django-axes counts it."""
    user_login_failed.send(
        sender=__name__,
        credentials={
            getattr(settings, "AXES_USERNAME_FORM_FIELD", "username"): user.get_username()
        },
        request=request,
    )


def qr_svg(data: str) -> str:
    """The QR code of `data` as an inline SVG that fills its container."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    # Drop the fixed size in millimetres: the page sizes the code.
    return re.sub(
        r'^<svg width="[^"]*" height="[^"]*"',
        '<svg width="100%" height="100%" aria-hidden="true" focusable="false"',
        svg,
    )


def grouped_secret(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# --- sign-in and sign-out -----------------------------------------------------------------


class SignInView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"

    def form_valid(self, form):
        user = form.get_user()
        next_url = self.get_success_url()
        if confirmed_device(user) is not None:
            # Not logged in until the code is given: nothing else is reachable before.
            if self.request.user.is_authenticated:
                auth_logout(self.request)
            _start_pending(self.request, user)
            return HttpResponseRedirect(two_factor_url(next_url))
        auth_login(self.request, user)
        if two_factor_mandatory(user):
            return HttpResponseRedirect(two_factor_url(next_url))
        return HttpResponseRedirect(next_url)


class SignOutView(auth_views.LogoutView):
    """Sign-out, by POST only (Django's LogoutView); back to the sign-in page."""

    def post(self, request, *args, **kwargs):
        _clear_pending(request)
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have signed out."))
        return response


# --- passwords ------------------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "organizations/auth/password_change_form.html"
    success_url = reverse_lazy("password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "organizations/auth/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "organizations/auth/password_reset_form.html"
    email_template_name = "organizations/auth/password_reset_email.txt"
    subject_template_name = "organizations/auth/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "organizations/auth/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "organizations/auth/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "organizations/auth/password_reset_complete.html"


# --- two-factor -----------------------------------------------------------------------------


@method_decorator([sensitive_post_parameters("token"), csrf_protect, never_cache], name="dispatch")
class TwoFactorView(View):
    """Set up a TOTP device, give the code for this session, or show that two-factor is on."""

    template_name = "organizations/auth/two_factor.html"

    def dispatch(self, request, *args, **kwargs):
        self.pending_user = None
        if not request.user.is_authenticated:
            self.pending_user = _pending_user(request)
            if self.pending_user is None:
                return redirect_to_login(request.get_full_path())
            if confirmed_device(self.pending_user) is None:  # removed meanwhile: start again
                _clear_pending(request)
                return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    @property
    def user(self):
        return self.pending_user or self.request.user

    def next_url(self) -> str:
        return safe_next(
            self.request, self.request.POST.get("next") or self.request.GET.get("next")
        )

    def safe_next_or_empty(self) -> str:
        url = self.request.POST.get("next") or self.request.GET.get("next") or ""
        return url if url and safe_next(self.request, url) == url else ""

    def mode(self) -> str:
        if self.pending_user is None and self.request.user.is_verified():
            return "enabled"
        if confirmed_device(self.user) is not None:
            return "verify"
        return "setup"

    def setup_device(self, *, create: bool) -> TOTPDevice | None:
        device = (
            TOTPDevice.objects.devices_for_user(self.user, confirmed=False).order_by("-pk").first()
        )
        if device is None and create:
            device = TOTPDevice.objects.create(user=self.user, name=DEVICE_NAME, confirmed=False)
        return device

    def render_page(self, mode: str, form=None, device=None, status=200):
        context = {
            "mode": mode,
            "form": form or TOTPCodeForm(),
            "next": self.safe_next_or_empty(),
            "pending": self.pending_user is not None,
            "two_factor_user": self.user,
            "mandatory": two_factor_mandatory(self.user),
        }
        if mode == "setup" and device is not None:
            context["otpauth_url"] = device.config_url
            context["qr_svg"] = qr_svg(device.config_url)
            context["secret"] = grouped_secret(device)
        if mode == "enabled":
            context["device"] = getattr(self.request.user, "otp_device", None)
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        mode = self.mode()
        device = self.setup_device(create=True) if mode == "setup" else None
        return self.render_page(mode, device=device)

    def post(self, request):
        mode = self.mode()
        if mode == "enabled":
            return redirect(self.next_url())
        form = TOTPCodeForm(request.POST)
        if mode == "setup":
            return self.confirm_setup(form)
        return self.verify(form)

    def confirm_setup(self, form):
        device = self.setup_device(create=False)
        if device is None:  # e.g. confirmed in another tab meanwhile
            return redirect(two_factor_url(self.request.POST.get("next")))
        if form.is_valid():
            with transaction.atomic():
                device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
                throttled = not device.verify_is_allowed()[0]
                ok = device.verify_token(form.cleaned_data["token"])
                if ok:
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                    TOTPDevice.objects.devices_for_user(self.user, confirmed=False).delete()
            if ok:
                otp_login(self.request, device)
                messages.success(self.request, _("Two-factor sign-in is now on for your account."))
                return redirect(self.next_url())
            form.add_error("token", self.code_error(throttled))
        return self.render_page("setup", form=form, device=device, status=400)

    def verify(self, form):
        if form.is_valid():
            current = confirmed_device(self.user)
            throttled = current is not None and not current.verify_is_allowed()[0]
            device = match_token(self.user, form.cleaned_data["token"])
            if device is not None:
                if self.pending_user is not None:
                    user = self.pending_user
                    # django-otp's user_logged_in handler marks the session verified.
                    user.otp_device = device
                    auth_login(self.request, user, backend=user.backend)
                    _clear_pending(self.request)
                else:
                    otp_login(self.request, device)
                return redirect(self.next_url())
            if self.pending_user is not None:
                _count_failed_code(self.request, self.pending_user)
                if getattr(self.request, "axes_locked_out", False):
                    _clear_pending(self.request)
            form.add_error("token", self.code_error(throttled))
        return self.render_page("verify", form=form, status=400)

    @staticmethod
    def code_error(throttled: bool) -> str:
        if throttled:
            return _("Too many wrong codes. Wait a few seconds, then try again.")
        return _(
            "That code is not valid. Check that the clock of your phone is right and "
            "enter the code currently shown."
        )


# --- API token ------------------------------------------------------------------------------


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    otp_token = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=gettext_lazy(
            "The six-digit code from the authenticator app, when the account uses two-factor "
            "sign-in."
        ),
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


_error = inline_serializer(
    "TokenError",
    fields={
        "detail": serializers.CharField(),
        "otp_required": serializers.BooleanField(required=False),
    },
)


@method_decorator(sensitive_post_parameters("password", "otp_token"), name="dispatch")
class ObtainTokenView(APIView):
    """Exchange a username and password (and a TOTP code when the account needs one) for an
    API token. Failures count toward the sign-in lock-out."""

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(_error, description="Wrong credentials or code, or code missing"),
            403: OpenApiResponse(_error, description="Two-factor sign-in must be set up first"),
            429: OpenApiResponse(_error, description="Locked out after repeated failures"),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        django_request = request._request
        user = authenticate(
            request=django_request, username=data["username"], password=data["password"]
        )
        if user is None:
            if getattr(django_request, "axes_locked_out", False):
                return self.locked_out(django_request)
            return Response(
                {"detail": _("Unable to sign in with the given username and password.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if two_factor_needed(user):
            if confirmed_device(user) is None:
                return Response(
                    {
                        "detail": _(
                            "Your account must use two-factor sign-in: set it up on the web first."
                        ),
                        "otp_required": True,
                    },
                    status=status.HTTP_403_FORBIDDEN,
                )
            code = "".join((data.get("otp_token") or "").split())
            if not code:
                return Response(
                    {
                        "detail": _("Enter the code from your authenticator app."),
                        "otp_required": True,
                    },
                    status=status.HTTP_400_BAD_REQUEST,
                )
            if match_token(user, code) is None:
                _count_failed_code(django_request, user)
                if getattr(django_request, "axes_locked_out", False):
                    return self.locked_out(django_request)
                return Response(
                    {"detail": _("That code is not valid."), "otp_required": True},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        # A successful sign-in: last_login, and django-axes clears the failures.
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @staticmethod
    def locked_out(django_request):
        # Answer in JSON here rather than letting AxesMiddleware render the HTML page.
        django_request.axes_locked_out = False
        return Response(
            {
                "detail": _(
                    "This account is locked for a while after too many failed sign-in attempts."
                )
            },
            status=status.HTTP_429_TOO_MANY_REQUESTS,
        )

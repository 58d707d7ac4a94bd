"""Signing in and out, lock-out, passwords, two-factor (TOTP) and the API token."""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import override_settings
from django.urls import include, path, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from govqms.organizations.auth_views import ObtainTokenView
from tests.factories import PASSWORD, make_user

TOKEN_URL = "/api/auth/token/"

# The token view is wired at /api/auth/token/ in the project's urls; this urlconf puts it
# there for the token tests whether or not that is done yet.
urlpatterns = [
    path("api/auth/token/", ObtainTokenView.as_view()),
    path("", include(settings.ROOT_URLCONF)),
]


def sign_in(client, username, password=PASSWORD, next_url=None):
    data = {"username": username, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


def fresh_code(device, drift=0):
    """A code the device accepts now (forgetting the last used step and the throttling)."""
    device.refresh_from_db()
    device.last_t = -1
    device.throttle_reset(commit=False)
    device.save()
    return (
        f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + drift):06d}"
    )


def make_confirmed_device(user):
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


# --- pages, sign-in, sign-out -------------------------------------------------------------


def test_login_page(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "govqms" in body
    assert 'name="username"' in body and 'name="password"' in body
    assert reverse("password_reset") in body


def test_sign_in_lands_on_home(client, world):
    response = sign_in(client, "a_staff")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in_user_id(client) == str(world.a_staff.pk)


def test_sign_in_follows_safe_next_only(client, world):
    response = sign_in(client, "a_staff", next_url=reverse("password_change"))
    assert response["Location"] == reverse("password_change")
    client.post(reverse("logout"))
    response = sign_in(client, "a_staff", next_url="https://evil.example/")
    assert response["Location"] == reverse("home")


def test_wrong_password_shows_error(client, world):
    response = sign_in(client, "a_staff", password="not-the-password")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'class="alert alert-danger"' in response.content.decode()
    assert signed_in_user_id(client) is None


def test_sign_out_by_post_only(client, world):
    sign_in(client, "a_staff")
    assert client.get(reverse("logout")).status_code == 405
    assert signed_in_user_id(client) is not None
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert signed_in_user_id(client) is None


def test_passwords_are_hashed_with_argon2(db):
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"]):
        user = make_user("argon_user")
    assert user.password.startswith("argon2")
    assert user.check_password(PASSWORD)


# --- lock-out -----------------------------------------------------------------------------


def test_lockout_after_five_failures(client, world):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for _ in range(limit - 1):
        response = sign_in(client, "a_staff", password="wrong-password")
        assert response.status_code == 200
    # The fifth failure locks the account.
    response = sign_in(client, "a_staff", password="wrong-password")
    assert response.status_code == 429
    # The sixth attempt, with the right password, is refused.
    response = sign_in(client, "a_staff")
    assert response.status_code == 429
    assert signed_in_user_id(client) is None
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    body = response.content.decode()
    assert 'id="locked-out"' in body
    assert "30" in body  # minutes of the cool-off
    attempt = AccessAttempt.objects.get(username="a_staff")
    assert attempt.failures_since_start >= limit
    # Another user from the same address is not locked out.
    assert sign_in(client, "a_head")["Location"] == reverse("home")


# --- two-factor ---------------------------------------------------------------------------


def test_totp_setup_confirm_and_next_sign_in_needs_the_code(client, world):
    user = world.a_staff
    sign_in(client, "a_staff")

    response = client.get(reverse("two_factor"))
    assert response.status_code == 200
    assert response.context["mode"] == "setup"
    body = response.content.decode()
    assert "<svg" in body
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    assert response.context["secret"].replace(" ", "") in device.config_url
    # Reloading the page shows the same device, not a new one.
    client.get(reverse("two_factor"))
    assert TOTPDevice.objects.filter(user=user).count() == 1

    response = client.post(reverse("two_factor"), {"token": "000000"})
    assert response.status_code == 400
    device.refresh_from_db()
    assert not device.confirmed

    response = client.post(reverse("two_factor"), {"token": fresh_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    response = client.get(reverse("two_factor"))
    assert response.context["mode"] == "enabled"

    # The next sign-in: the password alone does not sign in.
    client.post(reverse("logout"))
    response = sign_in(client, "a_staff")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor"))
    assert signed_in_user_id(client) is None
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

    response = client.get(reverse("two_factor"))
    assert response.status_code == 200
    assert response.context["mode"] == "verify"

    response = client.post(reverse("two_factor"), {"token": "123456", "next": reverse("home")})
    assert response.status_code == 400
    assert response.context["form"].errors["token"]
    assert signed_in_user_id(client) is None

    response = client.post(
        reverse("two_factor"), {"token": fresh_code(device), "next": reverse("home")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in_user_id(client) == str(user.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    # The failed code was counted, and the successful sign-in cleared it.
    assert not AccessAttempt.objects.filter(username="a_staff").exists()


def test_two_factor_page_needs_a_sign_in(client, world):
    response = client.get(reverse("two_factor"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_two_factor_next_must_be_safe(client, world):
    device = make_confirmed_device(world.a_staff)
    sign_in(client, "a_staff", next_url=reverse("password_change"))
    response = client.post(
        reverse("two_factor"), {"token": fresh_code(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_sign_in_with_device_keeps_next(client, world):
    device = make_confirmed_device(world.a_staff)
    response = sign_in(client, "a_staff", next_url=reverse("password_change"))
    assert response["Location"] == (
        f"{reverse('two_factor')}?next={reverse('password_change').replace('/', '%2F')}"
    )
    response = client.get(response["Location"])
    assert response.context["next"] == reverse("password_change")
    response = client.post(
        reverse("two_factor"), {"token": fresh_code(device), "next": response.context["next"]}
    )
    assert response["Location"] == reverse("password_change")


def test_wrong_codes_are_throttled(client, world):
    make_confirmed_device(world.a_staff)
    sign_in(client, "a_staff")
    # Messages are checked in English (the second language) so the test reads plainly.
    client.cookies["django_language"] = "en"
    first = client.post(reverse("two_factor"), {"token": "000000"})
    assert "not valid" in str(first.context["form"].errors["token"])
    # Straight after a failure the device refuses to check codes for a moment.
    second = client.post(reverse("two_factor"), {"token": "000000"})
    assert "Wait" in str(second.context["form"].errors["token"])


def test_two_factor_page_does_not_link_to_unsafe_next(client, world):
    device = make_confirmed_device(world.a_staff)
    sign_in(client, "a_staff")
    client.post(reverse("two_factor"), {"token": fresh_code(device)})
    response = client.get(reverse("two_factor"), {"next": "javascript:alert(1)"})
    assert response.context["mode"] == "enabled"
    assert response.context["next"] == ""
    assert "javascript:" not in response.content.decode()


def test_pending_sign_in_ends_if_the_device_is_removed(client, world):
    device = make_confirmed_device(world.a_staff)
    sign_in(client, "a_staff")
    device.delete()
    response = client.get(reverse("two_factor"))
    assert response["Location"].startswith(reverse("login"))
    assert signed_in_user_id(client) is None
    # Signing in again now works with the password alone.
    assert sign_in(client, "a_staff")["Location"] == reverse("home")


def test_too_many_wrong_codes_lock_out(client, world):
    make_confirmed_device(world.a_staff)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "a_staff")
        response = client.post(reverse("two_factor"), {"token": "000000"})
    assert response.status_code == 429
    assert signed_in_user_id(client) is None
    assert sign_in(client, "a_staff").status_code == 429


@override_settings(GOVQMS_REQUIRE_2FA_FOR_OVERSIGHT=True)
def test_oversight_user_must_verify_when_required(client, world):
    response = sign_in(client, "dost_officer")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor"))
    # Signed in, but every page sends the user to two-factor until it is done.
    assert signed_in_user_id(client) == str(world.dost_officer.pk)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor"))
    response = client.get(reverse("agency_list"))
    assert response["Location"].startswith(reverse("two_factor"))

    response = client.get(reverse("two_factor"))
    assert response.context["mode"] == "setup"
    assert response.context["mandatory"]
    device = TOTPDevice.objects.get(user=world.dost_officer)
    response = client.post(
        reverse("two_factor"), {"token": fresh_code(device), "next": reverse("agency_list")}
    )
    assert response["Location"] == reverse("agency_list")
    assert client.get(reverse("agency_list")).status_code == 200

    # Next time: the code before anything else.
    client.post(reverse("logout"))
    sign_in(client, "dost_officer")
    assert signed_in_user_id(client) is None
    assert client.get(reverse("two_factor")).context["mode"] == "verify"
    client.post(reverse("two_factor"), {"token": fresh_code(device)})
    assert client.get(reverse("agency_list")).status_code == 200


@override_settings(GOVQMS_REQUIRE_2FA_FOR_OVERSIGHT=False)
def test_oversight_user_without_requirement_signs_in_directly(client, world):
    response = sign_in(client, "dost_officer")
    assert response["Location"] == reverse("home")
    assert client.get(reverse("agency_list")).status_code == 200


@override_settings(GOVQMS_REQUIRE_2FA_FOR_OVERSIGHT=True)
def test_agency_user_without_device_is_not_asked(client, world):
    response = sign_in(client, "a_staff")
    assert response["Location"] == reverse("home")


# --- passwords ----------------------------------------------------------------------------


def test_password_change(client, world):
    assert client.get(reverse("password_change"))["Location"].startswith(reverse("login"))
    sign_in(client, "a_staff")
    response = client.get(reverse("password_change"))
    assert response.status_code == 200
    new_password = "Mat-khau-moi-2026-x"
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response["Location"] == reverse("password_change_done")
    assert client.get(reverse("password_change_done")).status_code == 200
    # Still signed in after the change; the new password works next time.
    assert signed_in_user_id(client) == str(world.a_staff.pk)
    client.post(reverse("logout"))
    assert sign_in(client, "a_staff").status_code == 200  # the old password: refused
    assert sign_in(client, "a_staff", password=new_password)["Location"] == reverse("home")


def test_password_reset_by_email(client, world):
    user = world.a_staff
    user.email = "a.staff@dongphong.example.vn"
    user.save()
    assert client.get(reverse("password_reset")).status_code == 200
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response["Location"] == reverse("password_reset_done")
    assert client.get(reverse("password_reset_done")).status_code == 200
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "govqms" in message.subject
    assert "\n" not in message.subject
    assert "a_staff" in message.body
    link = re.search(r"https?://testserver(/accounts/reset/\S+/)", message.body).group(1)

    response = client.get(link)
    assert response.status_code == 302  # to the same page without the token in the URL
    set_password_url = response["Location"]
    response = client.get(set_password_url)
    assert response.context["validlink"]
    new_password = "Mat-khau-moi-2026-y"
    response = client.post(
        set_password_url, {"new_password1": new_password, "new_password2": new_password}
    )
    assert response["Location"] == reverse("password_reset_complete")
    assert client.get(reverse("password_reset_complete")).status_code == 200
    user.refresh_from_db()
    assert user.check_password(new_password)
    # The link works once.
    response = client.get(link, follow=True)
    assert not response.context["validlink"]
    assert sign_in(client, "a_staff", password=new_password)["Location"] == reverse("home")


def test_password_reset_unknown_address_sends_nothing(client, world):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.vn"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


# --- API token ----------------------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_token_without_two_factor(client, world):
    response = client.post(TOKEN_URL, {"username": "a_staff", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200
    # The same token again.
    again = client.post(TOKEN_URL, {"username": "a_staff", "password": PASSWORD})
    assert again.json()["token"] == token


@pytest.mark.urls(__name__)
def test_token_wrong_password(client, world):
    response = client.post(TOKEN_URL, {"username": "a_staff", "password": "wrong"})
    assert response.status_code == 400
    assert "token" not in response.json()
    assert AccessAttempt.objects.get(username="a_staff").failures_since_start == 1


@pytest.mark.urls(__name__)
def test_token_with_two_factor(client, world):
    device = make_confirmed_device(world.a_staff)
    response = client.post(TOKEN_URL, {"username": "a_staff", "password": PASSWORD})
    assert response.status_code == 400
    assert response.json()["otp_required"] is True
    response = client.post(
        TOKEN_URL, {"username": "a_staff", "password": PASSWORD, "otp_token": "000000"}
    )
    assert response.status_code == 400
    assert "token" not in response.json()
    response = client.post(
        TOKEN_URL,
        {"username": "a_staff", "password": PASSWORD, "otp_token": fresh_code(device)},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["token"]
    assert not AccessAttempt.objects.filter(username="a_staff").exists()


@pytest.mark.urls(__name__)
@override_settings(GOVQMS_REQUIRE_2FA_FOR_OVERSIGHT=True)
def test_token_for_oversight_user_needs_two_factor(client, world):
    response = client.post(TOKEN_URL, {"username": "dost_officer", "password": PASSWORD})
    assert response.status_code == 403
    assert response.json()["otp_required"] is True
    device = make_confirmed_device(world.dost_officer)
    response = client.post(
        TOKEN_URL,
        {"username": "dost_officer", "password": PASSWORD, "otp_token": fresh_code(device)},
    )
    assert response.status_code == 200


@pytest.mark.urls(__name__)
def test_token_failures_lock_out(client, world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(TOKEN_URL, {"username": "a_staff", "password": "wrong"})
    assert response.status_code == 429
    response = client.post(TOKEN_URL, {"username": "a_staff", "password": PASSWORD})
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "token" not in response.json()
    # The lock-out applies to the web sign-in too.
    assert sign_in(client, "a_staff").status_code == 429

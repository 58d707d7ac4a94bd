"""Protection of the public forms against ballot stuffing.

- A signed one-time token (django.core.signing, HMAC with the server secret) is put
  in the form when the page is served: it names the form and the agency and carries
  the issue time. A submission is refused when the token is missing, forged, for
  another form or agency, older than `TOKEN_MAX_AGE`, sent faster than
  `MIN_FILL_SECONDS` after issue, or already spent (`FormToken`).
- A honeypot field, hidden from people, must stay empty.
- At most `RATE_LIMIT` accepted submissions per hour from one address to one agency;
  only a salted hash of the address is stored (`ip_hash`), never the address.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time

from django.core import signing
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

TOKEN_SALT = "govqms.feedback.form-token"
TOKEN_MAX_AGE = dt.timedelta(hours=12)
MIN_FILL_SECONDS = 3
RATE_LIMIT = 5
RATE_WINDOW = dt.timedelta(hours=1)
HONEYPOT_FIELD = "website"


class Refused(Exception):
    """A public submission that is not counted; `str()` is the polite message."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def issue_token(form: str, unit_pk: int, *, issued_at: float | None = None) -> str:
    payload = {
        "f": form,
        "u": unit_pk,
        "n": secrets.token_urlsafe(18),
        "t": time.time() if issued_at is None else issued_at,
    }
    return signing.dumps(payload, salt=TOKEN_SALT)


def check_token(token: str, form: str, unit_pk: int, *, now: float | None = None) -> str:
    """The token's nonce if it may be used now (not yet spent: the caller records it)."""
    now = time.time() if now is None else now
    expired = _("This form has expired. Please check your answers and send them again.")
    try:
        payload = signing.loads(token or "", salt=TOKEN_SALT)
    except signing.BadSignature:
        raise Refused(expired, "token_invalid") from None
    if payload.get("f") != form or payload.get("u") != unit_pk or not payload.get("n"):
        raise Refused(expired, "token_invalid")
    age = now - float(payload.get("t", 0))
    if age > TOKEN_MAX_AGE.total_seconds():
        raise Refused(expired, "token_expired")
    if age < MIN_FILL_SECONDS:
        raise Refused(
            _("That was very fast. Please take a moment to read the questions and send again."),
            "too_fast",
        )
    return payload["n"]


def check_honeypot(data) -> None:
    if (data.get(HONEYPOT_FIELD) or "").strip():
        raise Refused(_("Your answers could not be accepted. Thank you."), "honeypot")


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""


def hash_ip(ip: str) -> str:
    """A salted HMAC of the address: the same address gives the same hash, the address
    cannot be read back."""
    if not ip:
        return ""
    return salted_hmac("govqms.feedback.ip", ip, algorithm="sha256").hexdigest()


def rate_limited_message() -> str:
    return _(
        "We have already received several answers from your connection in the last hour. "
        "Please try again later. Thank you."
    )

"""Models of audits."""

from django.db import models  # noqa: F401

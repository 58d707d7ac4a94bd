"""Models of improvement."""

from django.db import models  # noqa: F401

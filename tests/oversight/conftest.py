import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_reasons():
    """The lifecycle and signal tests read the reasons in English (the msgids)."""
    with translation.override("en"):
        yield

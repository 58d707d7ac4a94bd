import pytest

from tests.audits.factories import audit_world


@pytest.fixture
def aw(world):
    return audit_world(world)

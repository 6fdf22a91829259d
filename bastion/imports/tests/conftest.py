import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English unless a test switches to Chinese itself."""
    with translation.override("en"):
        yield

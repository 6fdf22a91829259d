import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _isolated(settings):
    settings.ROOT_URLCONF = "bastion.coverage.tests.urls"
    cache.clear()
    yield
    cache.clear()

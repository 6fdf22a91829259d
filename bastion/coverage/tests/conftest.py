import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """Self-report rate limits live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()

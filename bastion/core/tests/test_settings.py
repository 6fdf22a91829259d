import os
import subprocess
import sys


def _settings_value(expr: str, **env: str) -> str:
    code = f"import bastion.settings as s; print({expr})"
    result = subprocess.run(  # noqa: S603 - a fixed interpreter and code
        [sys.executable, "-c", code],
        env={**os.environ, "BASTION_INSECURE_DEV": "1", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_workers_share_a_redis_cache_when_configured():
    backend = _settings_value('s.CACHES["default"]["BACKEND"]', BASTION_REDIS_URL="redis://127.0.0.1:6379/3")
    assert backend == "django.core.cache.backends.redis.RedisCache"


def test_without_redis_each_process_keeps_its_own_cache():
    env = {k: v for k, v in os.environ.items() if k != "BASTION_REDIS_URL"}
    code = 'import bastion.settings as s; print(s.CACHES["default"]["BACKEND"])'
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env={**env, "BASTION_INSECURE_DEV": "1"}, capture_output=True, text=True,
        check=True,
    ).stdout.strip()
    assert out == "django.core.cache.backends.locmem.LocMemCache"


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in {"BASTION_INSECURE_DEV", "BASTION_SECRET_KEY"}}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import bastion.settings"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "BASTION_SECRET_KEY" in result.stderr

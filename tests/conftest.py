import pytest


@pytest.hookimpl(trylast=True)
def pytest_configure(config) -> None:
    """Fast password hashing in tests: Argon2 is deliberately slow."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

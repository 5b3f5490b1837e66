"""Settings for the test suite: the real settings with a throwaway secret, on PostgreSQL.

tests/conftest.py starts a throwaway PostgreSQL cluster and points HOST/PORT at it; the engine
must be PostgreSQL from the start because connections pick their backend when first made.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/reelmaker")
# DEBUG is off here, which asks for a shared cache and HTTPS: one test process needs neither
# (the test client speaks plain HTTP). Workers the tests start inherit these.
os.environ.setdefault("CACHE_URL", "locmem://")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from reelmaker.settings import *  # noqa: F403

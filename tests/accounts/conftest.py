# The local Google and Kakao servers of the sign-in tests (shared with tests/publishing).
from tests.publishing.conftest import platforms, platforms_server  # noqa: F401

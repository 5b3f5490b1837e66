# The local OpenAI server and its settings, shared with the provider tests.
from tests.providers.conftest import fake_openai, openai_server, prices  # noqa: F401

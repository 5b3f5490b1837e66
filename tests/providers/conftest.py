import pytest

from tests.providers.fakes import FakeElevenLabs, FakeOpenAI


@pytest.fixture(scope="session")
def openai_server():
    server = FakeOpenAI().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def elevenlabs_server():
    server = FakeElevenLabs().start()
    yield server
    server.stop()


@pytest.fixture
def fake_openai(openai_server, settings):
    """The fake OpenAI server, empty, with the writer pointed at it by settings."""
    openai_server.reset()
    settings.REELMAKER_WRITER = "openai"
    settings.OPENAI_API_KEY = "sk-test-writer"
    settings.OPENAI_BASE_URL = f"{openai_server.url}/v1"
    settings.OPENAI_WRITER_MODEL = "gpt-4o-mini"
    settings.OPENAI_TIMEOUT_S = 2
    yield openai_server
    openai_server.reset()


@pytest.fixture
def fake_elevenlabs(elevenlabs_server, settings):
    """The fake ElevenLabs server, empty, with the voice pointed at it by settings."""
    elevenlabs_server.reset()
    settings.REELMAKER_VOICE = "elevenlabs"
    settings.ELEVENLABS_API_KEY = "xi-test-key"
    settings.ELEVENLABS_BASE_URL = elevenlabs_server.url
    settings.ELEVENLABS_MODEL_ID = "eleven_multilingual_v2"
    settings.ELEVENLABS_VOICE_ID = "JBFqnCBsd6RMkjVDRZzb"
    settings.ELEVENLABS_TIMEOUT_S = 2
    yield elevenlabs_server
    elevenlabs_server.reset()


@pytest.fixture
def prices(db):
    """The default prices this suite counts on (transactional tests elsewhere flush the seed)."""
    from decimal import Decimal

    from billing.models import ProviderPrice

    for provider, model, unit, usd in [
        ("openai", "gpt-4o-mini", "input_tokens", "0.00000015"),
        ("openai", "gpt-4o-mini", "output_tokens", "0.0000006"),
        ("elevenlabs", "eleven_multilingual_v2", "characters", "0.0001"),
    ]:
        ProviderPrice.objects.update_or_create(
            provider=provider, model=model, unit=unit, defaults={"usd_per_unit": Decimal(usd)}
        )

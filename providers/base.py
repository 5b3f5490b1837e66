"""Usage records and the two error kinds every provider raises: retry or fail now."""

from __future__ import annotations

from dataclasses import dataclass

from reelmaker.errors import OutsideServiceError


@dataclass(frozen=True)
class Usage:
    """What one provider call consumed, in units; billing prices it when it writes a UsageRecord."""

    provider: str
    model: str
    units: float
    unit: str  # "tokens", "images", "characters", "seconds"
    # Units billed apart, when the provider's price list splits them (input and output tokens,
    # credits): (unit, units) pairs. Empty: `units` of `unit` are what is billed.
    billed: tuple[tuple[str, float], ...] = ()


class ProviderError(OutsideServiceError):
    """A provider call failed; `provider` names who failed and `message` says why."""


class TransientProviderError(ProviderError):
    """Worth retrying: timeouts, 429, 5xx. `retry_after_s` is the provider's hint, if any."""

    def __init__(self, message: str, *, provider: str = "", retry_after_s: float | None = None):
        super().__init__(message, provider=provider)
        self.retry_after_s = retry_after_s


class PermanentProviderError(ProviderError):
    """Retrying cannot help: bad input, other 4xx, a garbage answer."""


class InvalidInput(PermanentProviderError):
    """The user's own input is wrong (not an image, corrupt audio); the message says what to do."""

    is_caller_input = True

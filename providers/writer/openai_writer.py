"""The OpenAI writer: a plan through structured outputs (a JSON schema), checked again here.

Works with OpenAI and with any server that speaks its chat-completions API (vLLM, Ollama,
llama.cpp) by base URL; `options.api = "responses"` uses the Responses API instead. A plan is
first repaired (repair.py: durations, scene count, length, hashtags); one whose text cannot be
used, or whose narration is far too long to say in the reel, is sent back once with the rule
it broke; a second failure is final, and second narration still too long is cut to fit.
Prompts live in prompts/plan.<version>.<language>.txt.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Self, cast

import openai
from openai.types.chat import ChatCompletionMessageParam
from openai.types.responses import ResponseInputParam

from providers.base import PermanentProviderError, ProviderError, Usage
from providers.deadlines import openai_deadline_client
from providers.openai_errors import malformed, openai_error
from providers.writer.base import (
    Brief,
    InvalidPlan,
    Plan,
    validate_plan,
)
from providers.writer.openai_prompts import (
    SCHEMA_NAME,
    build_messages,
    fix_message,
    parse_plan,
    plan_schema,
)
from providers.writer.pacing import overlong
from providers.writer.repair import repair_plan

PROVIDER = "openai"
DEFAULT_TIMEOUT_S = 60.0

# ---------------------------------------------------------------- the writer


@dataclass(frozen=True)
class _Answer:
    content: str
    input_tokens: int
    output_tokens: int


class OpenAIWriter:
    """WriterProvider over the official `openai` SDK. Thread-safe; one client per call."""

    def __init__(
        self,
        *,
        model: str,
        api_key: str = "",
        api_key_env: str = "OPENAI_API_KEY",
        base_url: str = "",
        timeout_s: float = DEFAULT_TIMEOUT_S,
        api: str = "chat",
        temperature: float | None = None,
    ):
        if api not in ("chat", "responses"):
            raise PermanentProviderError(
                f"options.api must be 'chat' or 'responses', not {api!r}", provider=PROVIDER
            )
        self.model = model
        self.api_key = api_key
        self.api_key_env = api_key_env or "OPENAI_API_KEY"
        self.base_url = base_url
        self.timeout_s = float(timeout_s)
        self.api = api
        self.temperature = temperature

    @classmethod
    def from_settings(cls, config) -> Self:
        """Built from a providers.config.ProviderSettings (options: api, timeout_s, ...)."""
        from django.conf import settings

        options = config.options
        return cls(
            model=config.model or settings.OPENAI_WRITER_MODEL,
            api_key=config.api_key,
            api_key_env=config.api_key_env,
            base_url=config.base_url,
            timeout_s=float(options.get("timeout_s") or settings.OPENAI_TIMEOUT_S),
            api=str(options.get("api") or "chat"),
            temperature=options.get("temperature"),
        )

    # -------------------------------------------------------- public

    def write(self, *, brief: Brief) -> Plan:
        """A repaired plan that passes validate_plan; one retry with the broken rule when the
        text cannot be used, then InvalidPlan. Raises TransientProviderError (timeouts, 429,
        5xx) or PermanentProviderError."""
        client = self._client()
        messages = build_messages(brief)
        schema = plan_schema(brief)
        answers = [self._ask(client, messages, schema)]
        try:
            plan = self._checked(answers[0].content, brief, paced=True)
        except InvalidPlan as first:
            messages += [
                {"role": "assistant", "content": answers[0].content},
                fix_message(brief, first.message),
            ]
            answers.append(self._ask(client, messages, schema))
            try:
                plan = self._checked(answers[1].content, brief)
            except InvalidPlan as second:
                raise InvalidPlan(
                    second.rule,
                    f"the model's plan broke a rule twice (first: {first.message}; "
                    f"then: {second.message})",
                    provider=PROVIDER,
                ) from None
        return replace(plan, usage=self._usage(answers))

    @staticmethod
    def _checked(content: str, brief: Brief, *, paced: bool = False) -> Plan:
        """The answer repaired and validated. With `paced`, narration too long to say in the
        reel is refused ('length') so that the model is asked once for shorter text; the
        second answer is cut to fit instead (repair_plan), since models miscount time."""
        parsed = parse_plan(content)
        if paced and (reason := overlong(parsed, brief)):
            raise InvalidPlan("length", reason, provider=PROVIDER)
        plan = repair_plan(parsed, brief, provider=PROVIDER)
        return validate_plan(plan, brief, provider=PROVIDER)

    def check_connection(self) -> str:
        """List the server's models and look for ours. Raises ProviderError saying what to check."""
        client = self._client()
        try:
            ids = [item.id for item in client.models.list()]
        except (openai.OpenAIError, ValueError, TypeError, AttributeError) as exc:
            raise self._mapped(exc) from exc
        if self.model not in ids:
            offered = ", ".join(sorted(ids)[:10]) or "none"
            raise PermanentProviderError(
                f"the server does not offer model '{self.model}' (it offers: {offered})",
                provider=PROVIDER,
            )
        return f"connected to {self._where()}; model '{self.model}' is available"

    # -------------------------------------------------------- I/O

    def _where(self) -> str:
        return self.base_url or "api.openai.com"

    def _client(self) -> openai.OpenAI:
        if not self.api_key and not self.base_url:
            raise PermanentProviderError(
                f"no API key: set {self.api_key_env} (or OPENAI_BASE_URL for a local server)",
                provider=PROVIDER,
            )
        return openai.OpenAI(
            # Local OpenAI-compatible servers accept any key; the SDK insists on one.
            api_key=self.api_key or "unused",
            base_url=self.base_url or None,
            timeout=self.timeout_s,
            max_retries=0,  # the job layer retries, with backoff and attempts counted
            http_client=openai_deadline_client(),  # timeout is per read; this bounds the whole call
        )

    def _ask(
        self,
        client: openai.OpenAI,
        messages: list[dict],
        schema: dict,
        schema_name: str = SCHEMA_NAME,
    ) -> _Answer:
        # omit: the SDK leaves the field out of the request, as if it were not passed.
        temperature = openai.omit if self.temperature is None else self.temperature
        try:
            if self.api == "responses":
                response = client.responses.create(
                    model=self.model,
                    input=cast(ResponseInputParam, messages),  # role/content dicts
                    text={
                        "format": {
                            "type": "json_schema",
                            "name": schema_name,
                            "schema": schema,
                            "strict": True,
                        }
                    },
                    temperature=temperature,
                )
                return self._from_response(response)
            completion = client.chat.completions.create(
                model=self.model,
                messages=cast(list[ChatCompletionMessageParam], messages),
                response_format={
                    "type": "json_schema",
                    "json_schema": {"name": schema_name, "schema": schema, "strict": True},
                },
                temperature=temperature,
            )
            return self._from_completion(completion)
        except (openai.OpenAIError, ValueError, TypeError, AttributeError) as exc:
            # ValueError covers json.JSONDecodeError: the SDK raises it for a body that is
            # not JSON, and pydantic's errors for a body of the wrong shape.
            raise self._mapped(exc) from exc

    def _from_completion(self, completion) -> _Answer:
        try:
            choice = completion.choices[0]
            refusal = getattr(choice.message, "refusal", None)
            content = choice.message.content
            usage = completion.usage
        except (AttributeError, IndexError, KeyError, TypeError):
            raise self._malformed("no choices[0].message in the answer") from None
        if refusal:
            raise PermanentProviderError(f"the model refused: {refusal}", provider=PROVIDER)
        if not isinstance(content, str) or not content.strip():
            if getattr(choice, "finish_reason", "") == "length":
                return _Answer("", *self._tokens(usage, "prompt_tokens", "completion_tokens"))
            raise self._malformed("the answer's message has no content")
        return _Answer(content, *self._tokens(usage, "prompt_tokens", "completion_tokens"))

    def _from_response(self, response) -> _Answer:
        try:
            output = list(response.output or [])
            parts = [part for item in output for part in (getattr(item, "content", None) or [])]
        except (AttributeError, TypeError):
            raise self._malformed("no output in the answer") from None
        refusals = [getattr(p, "refusal", "") for p in parts if getattr(p, "type", "") == "refusal"]
        if refusals:
            raise PermanentProviderError(f"the model refused: {refusals[0]}", provider=PROVIDER)
        text = "".join(
            getattr(p, "text", "") or "" for p in parts if getattr(p, "type", "") == "output_text"
        )
        if not text.strip():
            raise self._malformed("the answer has no output_text")
        return _Answer(text, *self._tokens(response.usage, "input_tokens", "output_tokens"))

    @staticmethod
    def _tokens(usage, input_name: str, output_name: str) -> tuple[int, int]:
        # Some compatible servers leave usage out; count what is reported.
        def count(name: str) -> int:
            try:
                return max(0, int(getattr(usage, name, 0) or 0))
            except (TypeError, ValueError):
                return 0

        return count(input_name), count(output_name)

    def _usage(self, answers: list[_Answer]) -> Usage:
        tokens_in = sum(a.input_tokens for a in answers)
        tokens_out = sum(a.output_tokens for a in answers)
        return Usage(
            provider=PROVIDER,
            model=self.model,
            units=tokens_in + tokens_out,
            unit="tokens",
            billed=(("input_tokens", tokens_in), ("output_tokens", tokens_out)),
        )

    def _malformed(self, what: str) -> PermanentProviderError:
        return malformed(what, where=self._where())

    def _mapped(self, exc: Exception) -> ProviderError:
        """One SDK, transport or decoding error as Transient or Permanent, saying what to check."""
        return openai_error(
            exc,
            where=self._where(),
            timeout_s=self.timeout_s,
            key_env=self.api_key_env,
            what=f"model '{self.model}'",
        )

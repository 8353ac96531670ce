"""The chat model and what its failures mean: shared by the answerer (llm.py) and condense.py.

`make_chat_model` builds a `ChatOpenAI` for OpenAI or any OpenAI-compatible server (llama.cpp's
llama-server, llama-cpp-python, Ollama, vLLM) with a limit on answer length; `for_condense`
gives the same model condense's short budget. The helpers below turn an exception into one
line for a log or for the user, never with the key in it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import openai
from langchain_core.exceptions import (
    ModelAuthenticationError,
    ModelError,
    ModelNotFoundError,
    ModelPermissionDeniedError,
)
from langchain_core.language_models import BaseChatModel
from pydantic import SecretStr

from assistant.errors import ModelUnavailable
from assistant.settings import Settings

UNAVAILABLE_NOTICE = "The model was unavailable; showing quoted passages."
MODEL_ERRORS = (ModelError, openai.OpenAIError)
_EMPTY_STREAM = "No generation chunks were returned"  # LangChain's words for a stream with no text


def is_openai(base_url: str | None) -> bool:
    """OpenAI itself (no base URL, or api.openai.com), as opposed to a compatible server."""
    return not base_url or (urlsplit(base_url).hostname or "").endswith("api.openai.com")


def length_limit(base_url: str | None, tokens: int, extra_body: dict | None = None) -> dict:
    """ChatOpenAI arguments that cap the reply at `tokens`.

    ChatOpenAI sends its `max_tokens` as `max_completion_tokens`, which OpenAI wants (and
    which it refuses beside `max_tokens`), but llama-cpp-python and older Ollama read only
    `max_tokens`: compatible servers get `max_tokens` in the request body instead.
    """
    if is_openai(base_url):
        return {"max_tokens": tokens}
    return {"max_tokens": None, "extra_body": {**(extra_body or {}), "max_tokens": tokens}}


def make_chat_model(
    settings: Settings,
    *,
    timeout: float | None = None,
    max_retries: int | None = None,
    max_tokens: int | None = None,
) -> BaseChatModel:
    """`ChatOpenAI` for OpenAI, or for any OpenAI-compatible server at `openai_base_url`.

    Retries (429, 5xx, timeouts; `Retry-After` honoured, exponential backoff otherwise) are the
    openai client's own, bounded by `llm_max_retries`. Replies are capped at
    `max_answer_tokens` unless `max_tokens` says otherwise.
    """
    from langchain_openai import ChatOpenAI

    key = settings.openai_api_key or SecretStr("not-needed")  # local servers ignore the key
    tokens = settings.max_answer_tokens if max_tokens is None else max_tokens
    return ChatOpenAI(
        model=settings.model,
        base_url=settings.openai_base_url,
        api_key=key,
        timeout=settings.llm_timeout_s if timeout is None else timeout,
        max_retries=settings.llm_max_retries if max_retries is None else max_retries,
        temperature=settings.llm_temperature,
        **length_limit(settings.openai_base_url, tokens),
    )


def for_condense(model: BaseChatModel, settings: Settings) -> BaseChatModel:
    """The same model with condense's budget: its own short timeout, no retries, few tokens.

    A slow server must not hold the question up: on timeout the rule-based rewrite is used at
    once, instead of retrying a request that regenerates everything. Models other than
    `ChatOpenAI` are used as they are.
    """
    from langchain_openai import ChatOpenAI

    if not isinstance(model, ChatOpenAI) or model.root_client is None:
        return model
    root = model.root_client.with_options(timeout=settings.condense_timeout_s, max_retries=0)
    update: dict[str, Any] = {
        "root_client": root,
        "client": root.chat.completions,
        "request_timeout": settings.condense_timeout_s,
        "max_retries": 0,
        **length_limit(model.openai_api_base, settings.condense_max_tokens, model.extra_body),
    }
    return model.model_copy(update=update)


def model_name(model: Any) -> str:
    return str(
        getattr(model, "model_name", None) or getattr(model, "model", None) or type(model).__name__
    )


def where(model: Any) -> str:
    """The server a model talks to, without any credentials or query string."""
    url = getattr(model, "openai_api_base", None) or "https://api.openai.com/v1"
    parts = urlsplit(str(url))
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}" if parts.scheme else "the model server"


def describe(exc: BaseException) -> str:
    """Type and HTTP status only: server messages can echo part of a key."""
    if isinstance(exc, ValueError) and _EMPTY_STREAM in str(exc):
        return "an empty reply (HTTP 200, no text: often a prompt over the server's context)"
    status = getattr(exc, "status_code", None)
    return f"{type(exc).__name__}" + (f" (HTTP {status})" if status else "")


def raise_if_fatal(exc: BaseException, model: Any) -> None:
    """A failure no retry will fix becomes one line for the user; the rest return."""
    name, url = model_name(model), where(model)
    if isinstance(exc, ModelAuthenticationError | openai.AuthenticationError):
        raise ModelUnavailable(
            f"The model server at {url} refused the API key (HTTP 401); check OPENAI_API_KEY."
        ) from None
    if isinstance(exc, ModelPermissionDeniedError | openai.PermissionDeniedError):
        raise ModelUnavailable(
            f"The API key may not use model '{name}' at {url} (HTTP 403)."
        ) from None
    if isinstance(exc, ModelNotFoundError | openai.NotFoundError):
        raise ModelUnavailable(
            f"Model '{name}' was not found at {url} (HTTP 404); check "
            "BRIEFING_MODEL, and OPENAI_BASE_URL (it usually ends in /v1)."
        ) from None

"""The one settings object: built once at the edge (CLI, web app, Slack) and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.errors import BriefingError, first_error


def _alias(name: str, *plain: str) -> AliasChoices:
    """Accept BRIEFING_<NAME> and, for well-known variables, their usual names."""
    return AliasChoices(f"BRIEFING_{name.upper()}", *plain)


class Settings(BaseSettings):
    """Every knob the assistant has. Environment prefix `BRIEFING_`; `.env` is read too."""

    model_config = SettingsConfigDict(
        env_prefix="BRIEFING_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    # Where things live
    data_dir: Path = Field(Path(".briefing"), description="Index, BM25 side, feedback log, caches.")
    corpus_dir: Path = Field(Path("corpus"), description="Folder indexed by `make run`.")
    collection: str = Field(
        "briefings", min_length=3, max_length=512, description="Chroma collection."
    )
    chroma_url: str | None = Field(None, description="http://host:port of a `chroma run` server.")
    chroma_timeout_s: float = Field(
        8.0, gt=0, description="Seconds to wait for the Chroma server to answer at start."
    )
    chroma_request_timeout_s: float = Field(
        60.0, gt=0, description="Longest wait for one Chroma server request."
    )

    # Ingest
    chunk_tokens: int = Field(160, ge=40, le=400, description="Chunk size in cl100k tokens.")
    chunk_overlap: int = Field(30, ge=0, le=200, description="Overlap between chunks, tokens.")
    max_file_mb: float = Field(20.0, gt=0, description="Files larger than this are refused.")
    embed_batch: int = Field(32, ge=1, le=512, description="Sentences per embedding batch.")

    # Encoder and caches
    encoder: Literal["onnx", "torch"] = Field(
        "onnx",
        description="MiniLM through ONNX Runtime (exported once into the data dir; falls back to "
        "torch when it cannot be had) or through sentence-transformers on torch.",
    )
    ingest_precision: Literal["fp32", "bf16"] = Field(
        "fp32",
        description="Precision of the encoder for what is indexed (questions stay fp32): bf16 "
        "runs MiniLM on torch with bf16 matrix products where the CPU has native bf16 "
        "(avx512_bf16, amx_bf16), otherwise fp32 with a notice. Vectors differ from fp32 ones "
        "by a cosine under 1e-4.",
    )

    # Web pages and feeds (assistant/sources/)
    allow_private_urls: bool = Field(
        False,
        description="Fetch private, loopback and link-local addresses too (tests, intranets).",
    )
    fetch_timeout_s: float = Field(20.0, gt=0, le=600, description="Longest wait for one page.")
    max_page_mb: float = Field(
        5.0, gt=0, description="Pages and feeds larger than this are refused."
    )
    max_redirects: int = Field(5, ge=0, le=20, description="Redirect hops followed per URL.")
    user_agent: str = Field(
        "conflict-briefing-assistant/0.1 (article and feed reader)",
        min_length=1,
        description="Sent with every request.",
    )
    feed_interval_min: float = Field(
        0.0, ge=0, description="Minutes between feed updates in `briefing web`/`slack`; 0 is off."
    )

    # Retrieval
    k: int = Field(6, ge=1, le=50, description="Passages handed to the answerer.")
    other_reports: int = Field(
        2,
        ge=0,
        le=10,
        description="Passages past k read only for other reports' values of the fact found "
        "(the other side of a disagreement), never as the answer.",
    )
    dense_weight: float = Field(1.0, ge=0, description="Weight of the dense ranking in fusion.")
    bm25_weight: float = Field(1.3, ge=0, description="Weight of the BM25 ranking in fusion.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")

    # Answering
    refusal_threshold: float = Field(
        0.36, ge=0, le=1, description="Below this evidence score the answer is a refusal."
    )
    max_sentences: int = Field(4, ge=1, le=12, description="Sentences in an extractive answer.")
    max_question_chars: int = Field(2000, ge=20, description="Longer questions are trimmed.")

    # LLM (off unless a key or a base URL is given)
    openai_api_key: SecretStr | None = Field(
        None, validation_alias=_alias("openai_api_key", "OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        None, validation_alias=_alias("openai_base_url", "OPENAI_BASE_URL")
    )
    model: str = Field("gpt-4o-mini", description="Chat model name when an LLM is configured.")
    llm_timeout_s: float = Field(30.0, gt=0, description="Per-request timeout for the model.")
    llm_max_retries: int = Field(3, ge=0, le=10, description="Retries on 429/5xx/timeouts.")
    llm_temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature.")
    context_tokens: int = Field(3000, ge=200, description="Token budget for passages sent.")
    max_answer_tokens: int = Field(
        400,
        ge=16,
        le=32000,
        description="Sent as max_tokens; a stream running past it is cut off here too.",
    )
    condense_max_tokens: int = Field(
        64, ge=8, le=1000, description="Sent as max_tokens with the follow-up rewrite."
    )
    condense_timeout_s: float = Field(
        8.0, gt=0, description="Wait for the follow-up rewrite; then the rule-based one, no retry."
    )
    prompts_dir: Path | None = Field(None, description="Override the shipped prompts/ folder.")

    # Web chat
    host: str = Field("127.0.0.1", description="Web chat bind address.")
    port: int = Field(7860, ge=1, le=65535, description="Web chat port.")
    auth: str | None = Field(None, description="user:password turns on login.")
    login_free_attempts: int = Field(
        5, ge=1, le=100, description="Failed logins (per name and address) answered at once."
    )
    login_delay_s: float = Field(
        1.0, ge=0, le=600, description="Wait after those; doubles with each further failure."
    )
    login_max_delay_s: float = Field(
        30.0, gt=0, le=600, description="Longest wait before a login attempt is checked."
    )

    # Slack
    slack_bot_token: SecretStr | None = Field(
        None, validation_alias=_alias("slack_bot_token", "SLACK_BOT_TOKEN")
    )
    slack_signing_secret: SecretStr | None = Field(
        None, validation_alias=_alias("slack_signing_secret", "SLACK_SIGNING_SECRET")
    )
    slack_app_token: SecretStr | None = Field(
        None, validation_alias=_alias("slack_app_token", "SLACK_APP_TOKEN")
    )
    slack_api_url: str | None = Field(None, description="Slack Web API base URL (tests, proxies).")
    slack_port: int = Field(3000, ge=1, le=65535, description="Port of `briefing slack`.")
    slack_host: str = Field("127.0.0.1", description="Bind address of `briefing slack`.")
    slack_rate_per_min: int = Field(10, ge=1, description="Questions per user per minute.")
    slack_max_body_bytes: int = Field(
        1_000_000, ge=1024, description="Larger requests to /slack/events get 413 unread."
    )

    @field_validator("auth")
    @classmethod
    def _check_auth(cls, v: str | None) -> str | None:
        user, _, password = (v or "").partition(":")
        if v and not (user and password):
            raise ValueError("auth must look like user:password")
        return v or None

    @field_validator("chroma_url")
    @classmethod
    def _check_url(cls, v: str | None) -> str | None:
        if v and not v.startswith(("http://", "https://")):
            raise ValueError("chroma_url must start with http:// or https://")
        return v or None

    @model_validator(mode="after")
    def _check_overlap(self) -> Settings:
        if self.chunk_overlap >= self.chunk_tokens // 2:
            raise ValueError("chunk_overlap must be less than half of chunk_tokens")
        return self

    @property
    def llm_enabled(self) -> bool:
        return bool(self.openai_api_key or self.openai_base_url)

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def bm25_dir(self) -> Path:
        return self.data_dir / "bm25"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def feedback_path(self) -> Path:
        return self.data_dir / "feedback.jsonl"

    @property
    def unanswered_path(self) -> Path:
        """Questions the articles did not answer, for the gaps of a brief."""
        return self.data_dir / "unanswered.jsonl"

    @property
    def feeds_path(self) -> Path:
        return self.data_dir / "feeds.sqlite3"


def load_settings() -> Settings:
    """Settings from the environment and `.env`, with a bad value as one line for the user.

    Every command-line entry (`briefing …`, `briefing eval`) builds its settings here, so the
    eval command needs nothing from the CLI module.
    """
    try:
        return Settings()
    except ValidationError as e:
        name, msg = first_error(e)
        raise BriefingError(f"Invalid setting {name or 'settings'}: {msg}") from e

"""A scripted OpenAI-compatible server on 127.0.0.1 (stdlib only), for tests, benchmarks and demos.

It speaks `POST /v1/chat/completions` with and without SSE streaming, and `GET /v1/models`. Each
request takes the next scripted `Reply` (or asks `default` for one) and is recorded, so a test can
assert what the client actually sent.

Run it as a script to get a server that answers from the passages it is sent, for trying the CLI
(`--behave abort|endless|slow-condense|echo` plays one of the failures of real servers instead):
    python tests/fake_openai.py --port 8011
"""

from __future__ import annotations

import argparse
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from assistant.answer import REFUSAL


@dataclass
class Reply:
    """One scripted response."""

    text: str = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    pieces: list[str] | None = None  # streamed chunks; default: the text split after each space
    delay_s: float = 0.0  # before the response starts
    piece_delay_s: float = 0.0  # between streamed chunks
    hold: threading.Event | None = None  # streaming waits for this after the first chunk
    error: str = "scripted error"
    drop_after: int | None = None  # close the connection after this many chunks
    finish: str = "stop"  # finish_reason of the last chunk ("length": cut off by max_tokens)
    # HTTP 200 and then no text, as llama-cpp-python does for a prompt over its context window:
    # "close" (the connection closes), "done" (only `data: [DONE]`), "error" (one error event).
    # A non-streamed request gets 200 with an empty body.
    abort: str | None = None
    forever: bool = False  # stream the pieces over and over, ignoring max_tokens, until hung up

    def chunks(self) -> list[str]:
        if self.pieces is not None:
            return self.pieces
        return re.findall(r"\S+\s*|\s+", self.text) or [""]


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    chunks_sent: int = 0  # streamed text chunks written
    hung_up: bool = False  # the client closed the stream before it ended

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages", [])

    def content(self, role: str) -> str:
        return "\n".join(str(m.get("content", "")) for m in self.messages if m.get("role") == role)


class FakeOpenAI:
    """`with FakeOpenAI() as server:` … `server.url` is the base URL to give the client."""

    def __init__(
        self,
        replies: list[Reply] | None = None,
        default: Callable[[Received], Reply] | None = None,
        model_names: tuple[str, ...] = ("fake-model",),
    ) -> None:
        self.queue: deque[Reply] = deque(replies or [])
        self.default = default
        self.model_names = model_names
        self.requests: list[Received] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # Scripting ------------------------------------------------------------------------------
    def enqueue(self, *replies: Reply) -> None:
        with self._lock:
            self.queue.extend(replies)

    def _next(self, received: Received) -> Reply:
        with self._lock:
            self.requests.append(received)
            if self.queue:
                return self.queue.popleft()
        if self.default is not None:
            return self.default(received)
        return Reply(status=500, error="no scripted reply left")

    @property
    def completions(self) -> list[Received]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    # Lifecycle ------------------------------------------------------------------------------
    def start(self, port: int = 0) -> FakeOpenAI:
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"


def _handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def _json(self, status: int, payload: dict[str, Any], headers: dict[str, str]) -> None:
            data = json.dumps(payload).encode() if payload else b""
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a timeout test)

        def do_GET(self) -> None:
            if self.path.rstrip("/").endswith("/models"):
                data = [{"id": m, "object": "model", "owned_by": "fake"} for m in fake.model_names]
                self._json(200, {"object": "list", "data": data}, {})
            else:
                self._json(404, {"error": {"message": "not found"}}, {})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b"{}"
            try:
                body = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                body = {}
            received = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            if not self.path.rstrip("/").endswith("/chat/completions"):
                fake.requests.append(received)
                self._json(404, {"error": {"message": f"unknown path {self.path}"}}, {})
                return
            reply = fake._next(received)
            if reply.delay_s:
                time.sleep(reply.delay_s)
            model = body.get("model", "fake-model")
            if reply.status != 200:
                kind = {
                    401: "invalid_request_error",
                    404: "invalid_request_error",
                    429: "rate_limit_exceeded",
                }.get(reply.status, "server_error")
                self._json(
                    reply.status,
                    {"error": {"message": reply.error, "type": kind, "code": None, "param": None}},
                    reply.headers,
                )
            elif body.get("stream"):
                self._stream(reply, model, received)
            elif reply.abort:
                self._json(200, {}, reply.headers)
            else:
                self._json(200, _completion(reply.text, model, reply.finish), reply.headers)

        def _stream(self, reply: Reply, model: str, received: Received) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            for k, v in reply.headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.close_connection = True
            cid = f"chatcmpl-{time.monotonic_ns()}"
            try:
                if reply.abort:
                    self._abort(reply)
                    return
                self._event(_chunk(cid, model, {"role": "assistant", "content": ""}))
                for i, piece in enumerate(_pieces(reply)):
                    if reply.drop_after is not None and i >= reply.drop_after:
                        self.wfile.write(b'data: {"trunc')
                        self.wfile.flush()
                        return
                    self._event(_chunk(cid, model, {"content": piece}))
                    received.chunks_sent += 1
                    if i == 0 and reply.hold is not None:
                        reply.hold.wait(10)
                    if reply.piece_delay_s:
                        time.sleep(reply.piece_delay_s)
                self._event(_chunk(cid, model, {}, finish=reply.finish))
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                received.hung_up = True

        def _abort(self, reply: Reply) -> None:
            if reply.abort == "done":
                self.wfile.write(b"data: [DONE]\n\n")
            elif reply.abort == "error":
                error = {"message": reply.error, "type": "server_error", "code": 500}
                self._event({"error": error})
            self.wfile.flush()  # "close": nothing at all

        def _event(self, payload: dict[str, Any]) -> None:
            self.wfile.write(b"data: " + json.dumps(payload).encode() + b"\n\n")
            self.wfile.flush()

    return Handler


def _pieces(reply: Reply, limit_s: float = 120.0) -> Iterator[str]:
    """The reply's chunks; with `forever`, over and over (for at most `limit_s`)."""
    yield from reply.chunks()
    t0 = time.monotonic()
    while reply.forever and time.monotonic() - t0 < limit_s:
        yield from reply.chunks()


def _chunk(cid: str, model: str, delta: dict[str, Any], finish: str | None = None) -> dict:
    return {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _completion(text: str, model: str, finish: str) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{time.monotonic_ns()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish}
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    }


# A stand-in "model" for demos and benchmarks: quote the passage sentences that share the most
# words with the question, and cite them. Condense requests get the follow-up back unchanged.
_HEADER = re.compile(r"^\[(\d+)\] .*$", re.MULTILINE)
_WORDS = re.compile(r"[a-z0-9]{4,}")


def answer_from_passages(received: Received, piece_delay_s: float = 0.0) -> Reply:
    user = received.content("user")
    block = re.search(r"<passages>\n(.*?)\n</passages>", user, re.DOTALL)
    if block is None:
        question = re.findall(r"^Follow-up question: (.+)$", user, re.MULTILINE)
        return Reply(text=question[-1] if question else "", piece_delay_s=piece_delay_s)
    asked = re.findall(r"^Question: (.+)$", user, re.MULTILINE)
    q = set(_WORDS.findall(asked[-1].lower())) if asked else set()
    heads = list(_HEADER.finditer(block.group(1)))
    scored: list[tuple[int, int, str]] = []
    for i, h in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(block.group(1))
        body = block.group(1)[h.end() : end]
        for s in re.split(r"(?<=[.!?])\s+|\n+", body.strip()):
            overlap = len(q & set(_WORDS.findall(s.lower())))
            if overlap and len(s.split()) >= 6:
                scored.append((overlap, -int(h.group(1)), f"{s.strip()} [{h.group(1)}]"))
    if not scored:
        return Reply(text=REFUSAL, piece_delay_s=piece_delay_s)
    best = sorted(scored, reverse=True)[:2]
    return Reply(
        text="The articles report: " + " ".join(s for *_, s in best), piece_delay_s=piece_delay_s
    )


def misbehaving(how: str, piece_delay_s: float) -> Callable[[Received], Reply]:
    """The answering stand-in, or one of the ways real servers were seen to fail."""

    def reply(received: Received) -> Reply:
        good = answer_from_passages(received, piece_delay_s)
        condense = "<passages>" not in received.content("user")
        if how == "abort" and not condense:
            return Reply(abort="close")  # llama-cpp-python, prompt over its context window
        if how == "endless" and not condense:
            return Reply(pieces=good.chunks(), forever=True, piece_delay_s=piece_delay_s)
        if how == "slow-condense" and condense:
            return Reply(good.text, delay_s=60)  # a busy CPU server
        if how == "echo" and not condense:
            return Reply(received.content("system"), piece_delay_s=piece_delay_s)
        return good

    return reply


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8011)
    parser.add_argument("--piece-delay", type=float, default=0.03, help="seconds between chunks")
    parser.add_argument(
        "--behave",
        choices=["answer", "abort", "endless", "slow-condense", "echo"],
        default="answer",
        help="answer from the passages, or fail as real servers do",
    )
    args = parser.parse_args()
    fake = FakeOpenAI(default=misbehaving(args.behave, args.piece_delay))
    fake.start(args.port)
    print(f"fake OpenAI-compatible server on {fake.url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()

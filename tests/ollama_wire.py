"""A local HTTP server that speaks Ollama's wire protocol (`/api/chat` streamed NDJSON, errors as
{"error": ...}), for testing the real `ollama` client where no Ollama server can run. It answers with whatever the test scripts and records every request body."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeOllama:
    def __init__(
        self,
        reply: str | Callable[[dict[str, Any]], str] = "",
        model: str = "llama3.2",
        failure: str = "",
        stall_s: float = 30.0,
    ) -> None:
        """`failure`: "" answers normally; "stall" sends the headers then nothing for `stall_s`; "drop"
        sends two chunks and closes the connection; "error" sends two chunks then Ollama's in-stream
        {"error": ...} line."""
        self.reply = reply
        self.model = model
        self.failure = failure
        self.stall_s = stall_s
        self.requests: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _json(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                outer.requests.append({"path": self.path, **body})
                if body.get("model") != outer.model:
                    self._json(404, {"error": f'model "{body.get("model")}" not found, try pulling it first'})
                    return
                if self.path != "/api/chat":
                    self._json(404, {"error": "not found"})
                    return
                reply = outer.reply(body) if callable(outer.reply) else outer.reply
                if body.get("stream") is False:
                    self._json(
                        200, {**_done(outer.model, 1), "message": {"role": "assistant", "content": reply}}
                    )
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                words = reply.split(" ")
                if outer.failure == "stall":
                    time.sleep(outer.stall_s)
                    return
                for i, word in enumerate(words):
                    if i == 2 and outer.failure == "drop":
                        self.wfile.flush()
                        self.connection.shutdown(socket.SHUT_RDWR)  # mid-stream, no terminating chunk
                        return
                    if i == 2 and outer.failure == "error":
                        self._chunk(
                            {"error": "an error was encountered while running the model: out of memory"}
                        )
                        self.wfile.write(b"0\r\n\r\n")
                        return
                    piece = word if i == 0 else " " + word
                    self._chunk(
                        {
                            "model": outer.model,
                            "created_at": "2026-01-01T00:00:00Z",
                            "message": {"role": "assistant", "content": piece},
                            "done": False,
                        }
                    )
                self._chunk(
                    {**_done(outer.model, len(words)), "message": {"role": "assistant", "content": ""}}
                )
                self.wfile.write(b"0\r\n\r\n")

            def _chunk(self, obj: dict[str, Any]) -> None:
                line = json.dumps(obj).encode() + b"\n"
                self.wfile.write(f"{len(line):x}\r\n".encode() + line + b"\r\n")
                self.wfile.flush()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeOllama:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _done(model: str, eval_count: int) -> dict[str, Any]:
    """The closing fields Ollama sends with `done: true` (the whole reply when not streaming)."""
    return {
        "model": model,
        "created_at": "2026-01-01T00:00:01Z",
        "done": True,
        "done_reason": "stop",
        "total_duration": 1000,
        "load_duration": 10,
        "prompt_eval_count": 100,
        "prompt_eval_duration": 100,
        "eval_count": eval_count,
        "eval_duration": 500,
    }

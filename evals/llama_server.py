"""A local OpenAI-compatible chat server over a GGUF model, for measuring LLM mode.

Optional and never run by CI: it needs ``pip install xllamacpp`` (a prebuilt llama.cpp,
MIT) and a GGUF file, neither of which the project depends on. It binds 127.0.0.1 only
and serves ``POST /v1/chat/completions`` (streamed or not) and ``GET /v1/models``
through xllamacpp's in-process ``Server.handle_chat_completions``. Requests without a
temperature get 0, so repeated evaluations ask the same thing and get the same answer.

    python evals/llama_server.py MODEL.gguf --port 8080 --threads 2 &
    ASSISTANT_LLM=openai:local OPENAI_BASE_URL=http://127.0.0.1:8080/v1 \\
        ASSISTANT_LLM_TIMEOUT=600 assistant eval --sample 24
"""

from __future__ import annotations

import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


def load(model: Path, threads: int, context: int) -> Any:
    """The in-process llama.cpp server, one slot (answers are asked one at a time)."""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = str(model)
    params.n_ctx = context
    params.n_parallel = 1
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    return xllamacpp.Server(params)


class Handler(BaseHTTPRequestHandler):
    llama: Any
    name: str
    lock = threading.Lock()  # one generation at a time: the slot and the cores are shared

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path.rstrip("/") != "/v1/models":
            return self._json(404, {"error": {"message": f"no route {self.path}"}})
        self._json(200, {"object": "list", "data": [{"id": self.name, "object": "model"}]})

    def do_POST(self) -> None:  # noqa: N802
        if self.path.rstrip("/") != "/v1/chat/completions":
            return self._json(404, {"error": {"message": f"no route {self.path}"}})
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        body.setdefault("temperature", 0)
        body.pop("max_completion_tokens", None)  # the client also sends max_tokens
        with self.lock:
            if body.get("stream"):
                self._stream(body)
            else:
                result = self.llama.handle_chat_completions(body)
                self._json(500 if "error" in result else 200, result)

    def _stream(self, body: dict[str, Any]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()

        def send(chunk: dict[str, Any]) -> None:
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()

        self.llama.handle_chat_completions(body, send)
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()

    def _json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", type=Path, help="a GGUF file")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--threads", type=int, default=2, help="CPU threads (default 2)")
    parser.add_argument("--context", type=int, default=4096, help="context window in tokens")
    args = parser.parse_args()
    handler = type("Bound", (Handler,), {"llama": load(args.model, args.threads, args.context),
                                         "name": args.model.stem})
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    print(f"serving {args.model.name} at http://127.0.0.1:{args.port}/v1", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

"""`assistant sync` against a local HTTP server playing the UN and UNODC sites."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from assistant.corpus.fetch import FetchPolicy
from assistant.corpus.sync import CHECKSUMS
from assistant.index.ingest import sync_and_ingest
from assistant.index.store import IndexStore
from assistant.settings import Settings
from tests.official_documents import CONVENTION_LINES, RESOLUTION_LINES, RULES_EN, RULES_FR, pdf_bytes

FAST = FetchPolicy(timeout=0.5, attempts=3, backoff=0.01)
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Reply:
    body: bytes = b"<html><body><p>1. A paragraph.</p></body></html>"
    status: int = 200
    content_type: str = HTML
    cut_at: int | None = None  # send this many bytes of the body, then close the connection
    length: bool = True  # send Content-Length
    hang: bool = False  # accept the request and never answer


class DocumentServer:
    """Serves scripted replies per path on 127.0.0.1 (a free port) and counts requests."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.hits: Counter[str] = Counter()
        self.stop = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True

    def serve(self, path: str, *replies: Reply) -> str:
        self.routes[path] = list(replies)
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def reply(self, path: str) -> Reply:
        replies = self.routes.get(path) or [Reply(b"not found", 404, "text/plain")]
        self.hits[path] += 1
        return replies[min(self.hits[path], len(replies)) - 1]  # the last reply repeats


def _handler(server: DocumentServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            reply = server.reply(self.path)
            if reply.hang:
                server.stop.wait(10)
                return
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            if reply.length:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body[:reply.cut_at])

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def server() -> Iterator[DocumentServer]:
    documents = DocumentServer()
    thread = threading.Thread(target=documents.httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield documents
    documents.stop.set()
    documents.httpd.shutdown()
    documents.httpd.server_close()


def settings_for(tmp_path: Path, docs: dict[str, tuple[str, str, str]]) -> Settings:
    """A knowledge dir whose manifest lists ``{url: (doc_id, lang, kind)}``, no local files."""
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir(exist_ok=True)
    entries = [f'[[document]]\nid = "{doc_id}"\ntitle = "{doc_id} ({lang})"\nlang = "{lang}"\n'
               f'kind = "{kind}"\nurl = "{url}"\n' for url, (doc_id, lang, kind) in docs.items()]
    (knowledge / "manifest.toml").write_text("\n".join(entries), encoding="utf-8")
    return Settings(data_dir=tmp_path / "data", knowledge_dir=knowledge)


def synced(settings: Settings) -> list[str]:
    return sorted(p.name for p in (settings.data_dir / "sync").iterdir())


@pytest.fixture
def official(server: DocumentServer, tmp_path: Path) -> Settings:
    """Four official texts, served the way the real sites serve them."""
    return settings_for(tmp_path, {
        server.serve("/documents/TOCebook-e.pdf",  # suffix from the URL: a generic type is sent
                     Reply(pdf_bytes(CONVENTION_LINES, tmp_path), content_type="application/octet-stream")):
            ("untoc", "en", "convention"),
        server.serve("/rules/en", Reply(RULES_EN.encode())): ("cop-rules", "en", "rules"),
        server.serve("/rules/fr", Reply(RULES_FR.encode())): ("cop-rules", "fr", "rules"),
        server.serve("/api/symbol/access?s=CTOC/COP/2018/13&l=en",  # suffix from the Content-Type
                     Reply(pdf_bytes(RESOLUTION_LINES, tmp_path), content_type="application/pdf")):
            ("res-9-1", "en", "resolution"),
    })


def test_sync_fetches_official_texts_and_ingests_them_with_pinpoint_locators(official: Settings) -> None:
    report, report_indexed = sync_and_ingest(official, policy=FAST, progress=False)
    assert not report.failures and report_indexed is not None and not report_indexed.failures
    assert synced(official) == [CHECKSUMS, "cop-rules.en.html", "cop-rules.fr.html", "res-9-1.en.pdf",
                                "untoc.en.pdf"]
    state = IndexStore(official.data_dir).state()
    assert state is not None
    chunks = {(c.doc_id, c.lang, c.locator): c for c in IndexStore(official.data_dir).read_chunks(state.version)}
    for key in [("untoc", "en", "art-32-para-3"), ("cop-rules", "en", "rule-17-para-2"),
                ("cop-rules", "fr", "rule-1"), ("cop-rules", "fr", "rule-17-para-2"),
                ("res-9-1", "en", "res-9-1-para-4"), ("res-9-1", "en", "annex-para-47")]:
        assert key in chunks, key
    assert chunks["untoc", "en", "art-32-para-3"].heading == "Article 32 — Conference of the Parties to the Convention"
    assert chunks["cop-rules", "fr", "rule-1"].heading == "Article premier — Terminologie"
    assert chunks["untoc", "en", "art-32-para-3"].url.endswith("/documents/TOCebook-e.pdf")
    assert not [k for k in chunks if k[2] in ("rule-21", "art-32") or k[2].startswith("rule-21-")]


def test_checksums_record_each_file_and_a_second_sync_keeps_what_is_there(
        official: Settings, server: DocumentServer) -> None:
    sync_and_ingest(official, policy=FAST, progress=False)
    folder = official.data_dir / "sync"
    records = json.loads((folder / CHECKSUMS).read_text(encoding="utf-8"))
    pdf = records["untoc.en.pdf"]
    assert pdf["sha256"] == hashlib.sha256((folder / "untoc.en.pdf").read_bytes()).hexdigest()
    assert pdf["url"].endswith("/documents/TOCebook-e.pdf") and pdf["fetched_at"].endswith("Z")
    again, again_indexed = sync_and_ingest(official, policy=FAST, progress=False)
    assert (len(again.kept), again.fetched, again_indexed) == (4, [], None)
    assert set(server.hits.values()) == {1}
    forced, forced_indexed = sync_and_ingest(official, force=True, policy=FAST, progress=False)
    assert len(forced.fetched) == 4 and forced_indexed is not None and forced_indexed.embedded == 0


def test_a_server_error_is_retried(server: DocumentServer, tmp_path: Path) -> None:
    url = server.serve("/flaky.html", Reply(b"busy", 500, "text/plain"), Reply())
    settings = settings_for(tmp_path, {url: ("flaky", "en", "web-page")})
    report, report_indexed = sync_and_ingest(settings, policy=FAST, progress=False)
    assert not report.failures and server.hits["/flaky.html"] == 2
    assert "flaky.en.html" in synced(settings)


@pytest.mark.parametrize(
    ("reply", "reason", "attempts"),
    [
        (Reply(b"gone", 404, "text/plain"), "HTTP 404", 1),
        (Reply(b"busy", 503, "text/plain"), "HTTP 503 Service Unavailable (gave up after 3 attempts)", 3),
        (Reply(b"\xd0\xcf\x11\xe0 word 97", content_type="application/msword"), "HTML and PDF only", 1),
        (Reply(b"x" * 5000, cut_at=1200), "cut after 1200 of 5000 bytes", 3),
        (Reply(b"%PDF-1.4 half a document", content_type="application/pdf", length=False),
         "PDF arrived incomplete", 3),
        (Reply(hang=True), "no answer within the time-out", 3),
    ],
)
def test_a_failed_download_is_named_and_leaves_no_partial_file(
        server: DocumentServer, tmp_path: Path, reply: Reply, reason: str, attempts: int) -> None:
    settings = settings_for(tmp_path, {server.serve("/bad", reply): ("bad", "en", "web-page"),
                                       server.serve("/good.html", Reply()): ("good", "en", "web-page")})
    report, report_indexed = sync_and_ingest(settings, policy=FAST, progress=False)
    [(entry, why)] = report.failures
    assert entry.id == "bad" and reason in why
    assert server.hits["/bad"] == attempts
    assert synced(settings) == [CHECKSUMS, "good.en.html"]  # no partial or temporary file
    assert report_indexed is not None and report_indexed.documents == 1


def test_a_cut_download_keeps_the_copy_fetched_before(server: DocumentServer, tmp_path: Path) -> None:
    url = server.serve("/doc.html", Reply(b"<p>1. First version.</p>"), Reply(b"<p>1. Second" * 50, cut_at=9))
    settings = settings_for(tmp_path, {url: ("doc", "en", "web-page")})
    sync_and_ingest(settings, policy=FAST, progress=False)
    report, report_indexed = sync_and_ingest(settings, force=True, policy=FAST, progress=False)
    assert report.failures and (settings.data_dir / "sync" / "doc.en.html").read_bytes() == b"<p>1. First version.</p>"


def test_without_network_each_text_is_named_with_its_reason_and_the_rest_goes_on(
        server: DocumentServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_getaddrinfo = socket.getaddrinfo

    def offline_dns(host: str, *args: object, **kwargs: object) -> object:
        if not host[:1].isdigit():  # a name, not an address: that needs DNS
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", offline_dns)
    settings = settings_for(tmp_path, {
        "https://www.unodc.org/documents/treaties/UNTOC/Publications/TOC%20Convention/TOCebook-e.pdf":
            ("untoc", "en", "convention"),
        "http://192.0.2.1/rules.html": ("cop-rules", "en", "rules"),  # blocked by the test's socket guard
        server.serve("/overview.html", Reply()): ("overview", "en", "web-page"),
    })
    result = CliRunner().invoke(cli, ["--data-dir", str(settings.data_dir), "sync"],
                                env={"ASSISTANT_KNOWLEDGE_DIR": str(settings.knowledge_dir)})
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.strip() and "%|" not in line]  # no progress bars
    assert errors[0].startswith("could not fetch untoc (en) from https://www.unodc.org/")
    assert errors[0].endswith("cannot resolve the host name (no network or no DNS?): "
                              "[Errno -3] Temporary failure in name resolution")
    assert errors[1].startswith("could not fetch cop-rules (en) from http://192.0.2.1/rules.html: cannot connect")
    assert "run assistant sync again" in errors[-1]
    assert "Fetched 1 of 3 official texts" in result.stdout and "Indexed 1 documents" in result.stdout
    assert synced(settings) == [CHECKSUMS, "overview.en.html"]


def test_a_new_url_in_the_manifest_is_fetched_again(server: DocumentServer, tmp_path: Path) -> None:
    old = server.serve("/old.html", Reply(b"<p>1. Old text.</p>"))
    new = server.serve("/new.pdf", Reply(pdf_bytes(RESOLUTION_LINES, tmp_path), content_type="application/pdf"))
    sync_and_ingest(settings_for(tmp_path, {old: ("doc", "en", "resolution")}), policy=FAST, progress=False)
    report, report_indexed = sync_and_ingest(settings_for(tmp_path, {new: ("doc", "en", "resolution")}),
                                             policy=FAST, progress=False)
    assert len(report.fetched) == 1 and report_indexed is not None and report_indexed.documents == 1
    assert synced(settings_for(tmp_path, {})) == [CHECKSUMS, "doc.en.pdf"]  # the HTML copy is gone

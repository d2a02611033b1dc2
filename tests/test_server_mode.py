"""Server mode: a real ``chroma run`` server shared by replicas with their own local caches."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.answers.service import Assistant
from assistant.errors import IndexNotReadyError
from assistant.index.ingest import ingest
from assistant.settings import ChromaServer, Settings
from tests.conftest import KNOWLEDGE, free_port

pytestmark = pytest.mark.slow


def server_settings(server: ChromaServer, data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, knowledge_dir=KNOWLEDGE, chroma_host=server.host,
                    chroma_port=server.port)


@pytest.fixture(scope="module")
def served(chroma_server: ChromaServer, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = server_settings(chroma_server, tmp_path_factory.mktemp("writer"))
    ingest(settings, rebuild=True, progress=False)
    return settings


def test_a_second_replica_answers_from_the_server_alone(served: Settings, chroma_server: ChromaServer,
                                                        tmp_path: Path) -> None:
    replica = Assistant(server_settings(chroma_server, tmp_path / "replica"))
    answer = replica.ask("Quel est le quorum requis pour prendre une décision ?")
    assert answer.answered
    assert [(c.doc_id, c.locator, c.lang) for c in answer.citations][0] == ("guide-rules", "rule-41", "fr")
    assert not (tmp_path / "replica" / "state.json").exists()  # the state lives on the server
    assert not (tmp_path / "replica" / "chroma").exists()  # and so do the vectors
    copied = replica.searcher.reader.nearest_questions(replica.embedder.embed_query("quorum ?"), 3)
    assert copied and list((tmp_path / "replica" / "versions").glob("*/questions.npy"))  # from the server
    for asked in ("is the memorandum mandatory?", "obligatoire ?", "who runs things between sessions"):
        # the sample questions' words are in the replica's keyword index as in the writer's
        assert _keyword_hits(replica, asked) == _keyword_hits(Assistant(served), asked) != []


def _keyword_hits(assistant: Assistant, words: str) -> list[tuple[str, float]]:
    reader = assistant.searcher.reader
    return [(reader.chunks[pos].id, round(score, 4)) for pos, score in reader.keyword.search(words, 5)]


def test_server_and_embedded_modes_give_the_same_answer(served: Settings, shipped_assistant: Assistant) -> None:
    question = "How early must the provisional agenda be circulated?"
    assert Assistant(served).ask(question).answer == shipped_assistant.ask(question).answer


def test_eval_and_ask_run_against_the_server(served: Settings, tmp_path: Path) -> None:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path), "CHROMA_HOST": served.chroma_host or "",
           "CHROMA_PORT": str(served.chroma_port)}
    ask = subprocess.run([sys.executable, "-m", "assistant", "ask", "Qui assure le secrétariat de la CP ?",
                          "--json"], capture_output=True, text=True, env=env, timeout=120)
    assert ask.returncode == 0, ask.stderr
    assert "ONUDC" in json.loads(ask.stdout)["answer"]
    evaluation = subprocess.run([sys.executable, "-m", "assistant", "eval", "--json"], capture_output=True,
                                text=True, env=env, timeout=600)
    assert evaluation.returncode == 0, evaluation.stderr  # the thresholds hold in server mode too
    assert json.loads(evaluation.stdout)["n"] >= 100


def test_an_unreachable_server_says_where_and_what_to_do(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, knowledge_dir=KNOWLEDGE, chroma_host="127.0.0.1",
                        chroma_port=free_port(), chroma_auth_token="s3cr3t-token")
    with pytest.raises(IndexNotReadyError) as error:
        Assistant(settings).ask("Quel est le quorum ?")
    message = str(error.value)
    assert f"127.0.0.1:{settings.chroma_port}" in message and "chroma run" in message
    assert "s3cr3t-token" not in message and "s3cr3t-token" not in repr(settings)

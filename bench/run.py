"""Benchmarks against the raw libraries, in one run: `python -m bench.run` (about 10 minutes here).

Each figure is a ratio to the bare library doing the same work in the same run (the machine is shared and
noisy; absolute times are context). Writes bench/results.json, BENCHMARKS.md and bench/scaling.png.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag import Settings, components, ingest, reset_components  # noqa: E402  # noqa: E402
from rag.backends.llamacpp import LlamaCpp, _load_llama, gguf_path  # noqa: E402
from rag.chunk import chunk_article, texts_to_embed  # noqa: E402
from rag.generate import SHORT_ANSWER_TOKENS, Prompt  # noqa: E402
from rag.ingest import load_corpus  # noqa: E402
from rag.retrieve import Retriever  # noqa: E402
from rag.schema import Article, Chunk  # noqa: E402

RNG = random.Random(7)
WORDS = (
    "council harbour budget railway minister strike factory election bridge hospital school airport port "
    "tariff inflation wages housing energy grid wind solar drought flood vaccine museum festival league "
    "merger startup chip battery ferry tunnel library court police union pension tax export import"
).split()
PLACES = ["Norrvik", "Saltmere", "Brennholt", "Tollby", "Ardmore", "Kessock", "Portvale", "Lindholm"]


def synthetic_article(i: int, paragraphs: int = 6) -> str:
    place = PLACES[i % len(PLACES)]
    topic = WORDS[i % len(WORDS)]
    body = []
    for p in range(paragraphs):
        words = " ".join(RNG.choice(WORDS) for _ in range(28))
        body.append(f"The {topic} plan in {place} moved to stage {p + 1} on day {i}. Officials said {words}.")
    return f"{place} {topic} report {i}\n\n" + "\n\n".join(body) + "\n"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# --- ingest -------------------------------------------------------------------------------------------


def bench_ingest(work: Path, articles: int) -> dict[str, float]:
    corpus = work / f"corpus-{articles}"
    corpus.mkdir()
    for i in range(articles):
        (corpus / f"a{i:05d}.txt").write_text(synthetic_article(i), encoding="utf-8")
    # Best of two runs on each side: the machine is shared, and one slow run says nothing about the code.
    full_runs = []
    for attempt in range(2):
        # PyTorch on both sides: this ratio is the cost of our code around the encoder. The default
        # backend against bare PyTorch is `ingest_vs_torch_encode` (bench/embed_backends.py).
        settings = Settings.from_env(corpus_dir=corpus, index_dir=work / f"index-{articles}-{attempt}",
                                     llm="extractive", embed_backend="torch")  # fmt: skip
        embedder = components(settings).embedder  # loaded before timing: both sides start with a loaded model
        started = time.perf_counter()
        report = ingest(settings=settings)
        full_runs.append(time.perf_counter() - started)
    full_s = min(full_runs)
    started = time.perf_counter()
    again = ingest(settings=settings)
    noop_s = time.perf_counter() - started
    assert again.chunks_embedded == 0

    # The bare library on exactly the texts the ingest embedded.
    loaded, _ = load_corpus(corpus)
    chunks = [c for a in loaded for c in chunk_article(a, embedder.tokenizer, settings.chunk_tokens,
                                                        settings.chunk_overlap_tokens)]  # fmt: skip
    texts = texts_to_embed(chunks, embedder.tokenizer)
    encode_runs = []
    for _ in range(2):
        started = time.perf_counter()
        embedder.model.encode(texts, batch_size=settings.embed_batch_size, normalize_embeddings=True)
        encode_runs.append(time.perf_counter() - started)
    encode_s = min(encode_runs)
    return {
        "articles": articles,
        "chunks": report.chunks_total,
        "ingest_s": full_s,
        "ingest_chunks_per_s": report.chunks_total / full_s,
        "encode_s": encode_s,
        "encode_chunks_per_s": len(texts) / encode_s,
        "ingest_vs_encode": encode_s / full_s,
        "reingest_noop_s": noop_s,
        "reingest_noop_fraction": noop_s / full_s,
    }


def bench_processes(work: Path, articles: int) -> dict[str, float]:
    """Ingest throughput with the embedding in 1 and in 2 worker processes (a separate process each, so
    the model pool starts clean)."""
    out = {}
    for processes in (1, 2):
        code = (
            f"import sys, time, json; sys.path.insert(0, {str(ROOT)!r})\n"
            "from pathlib import Path\nfrom rag import Settings, ingest\n"
            "from rag import components\n"
            f"s = Settings.from_env(corpus_dir=Path({str(work / f'corpus-{articles}')!r}), "
            f"index_dir=Path({str(work / f'index-proc{processes}')!r}), llm='extractive', "
            f"embed_processes={processes}, embed_backend='torch')\n"
            "components(s)\nt = time.perf_counter(); r = ingest(settings=s)\n"
            "print(json.dumps(r.chunks_total / (time.perf_counter() - t)))\n"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        out[f"ingest_chunks_per_s_{processes}proc"] = float(result.stdout.strip().splitlines()[-1])
    return out


# --- retrieval ----------------------------------------------------------------------------------------

QUERIES = [f"What happened to the {RNG.choice(WORDS)} plan in {RNG.choice(PLACES)}?" for _ in range(60)]


def fill_index(settings: Settings, target_chunks: int, have: int) -> int:
    """Add synthetic chunks with random unit vectors until the index holds `target_chunks`: embedding
    100k chunks would take half an hour here and the query path does not care what the vectors mean."""
    index = components(settings).index
    rng = np.random.default_rng(have)
    per_article = 50
    for start in range(have, target_chunks, per_article):
        n = start // per_article
        text = synthetic_article(n, paragraphs=1)
        article = Article(id=f"s{n:06d}", title=text.split("\n")[0], body=text, source="Synthetic Wire",
                          published_at="2026-01-01", url="", path="", content_hash=str(n))  # fmt: skip
        chunks = [
            Chunk(id=f"s{n:06d}:{j}", article_id=article.id, title=article.title,
                  text=synthetic_article(n * per_article + j, paragraphs=1).split("\n\n", 1)[1],
                  start=0, end=0, position=j, published_at=article.published_at, source=article.source)
            for j in range(per_article)
        ]  # fmt: skip
        vectors = rng.normal(size=(per_article, 384)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        index.replace_article(article, chunks, vectors)
    index.ensure_lexical(force=True)
    return target_chunks


def bench_retrieval(work: Path, sizes: list[int]) -> dict[str, Any]:
    settings = Settings.from_env(corpus_dir=work, index_dir=work / "index-retrieval", llm="extractive",
                                 embed_backend="torch")  # the bare side encodes with PyTorch  # fmt: skip
    parts = components(settings)
    retriever = Retriever(parts.index, parts.embedder, settings)
    out: dict[str, Any] = {}
    have = 0
    for size in sizes:
        have = fill_index(settings, size, have)
        for q in QUERIES[:5]:  # warm caches on both paths
            retriever.fused(q, settings.top_k)
        ours, bare = [], []
        for q in QUERIES:
            started = time.perf_counter()
            retriever.fused(q, settings.top_k)
            ours.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            vector = parts.embedder.model.encode([q], normalize_embeddings=True)[0]
            parts.index.collection.query(query_embeddings=[vector.tolist()], n_results=settings.candidates)
            bare.append((time.perf_counter() - started) * 1000)
        label = f"{size // 1000}k"
        out[label] = {
            "chunks": parts.index.count(),
            "p50_ms": statistics.median(ours),
            "p95_ms": percentile(ours, 0.95),
            "bare_p50_ms": statistics.median(bare),
            "bare_p95_ms": percentile(bare, 0.95),
            "vs_bare": statistics.median(ours) / statistics.median(bare),
        }
        print(label, out[label], flush=True)
    return out


# --- generation ---------------------------------------------------------------------------------------


def bench_generation() -> dict[str, float]:
    settings = Settings.from_env(llm="llamacpp")
    ours = LlamaCpp(settings)
    bare = _load_llama(gguf_path(), settings.llm_context_tokens, settings.llm_threads)
    evidence = " ".join(synthetic_article(i, paragraphs=2) for i in range(14)).replace("\n", " ")
    long_prompt = Prompt("What happened to the council plan in Norrvik?", [], [], evidence=[evidence])
    text = long_prompt.completion_text()
    prompt_tokens = len(bare.tokenize(text.encode()))
    params = dict(max_tokens=SHORT_ANSWER_TOKENS, temperature=0.0, top_k=1, repeat_penalty=1.1,
                  stop=["\n", "Question:", "Text:"], stream=True)  # fmt: skip

    def timed(pieces) -> tuple[float, float, int]:
        started = time.perf_counter()
        first, n = 0.0, 0
        for _ in pieces:
            n += 1
            first = first or time.perf_counter() - started
        return first, time.perf_counter() - started, n

    runs: dict[str, list[tuple[float, float, int]]] = {"ours": [], "bare": []}
    for i in range(6):  # alternate which side goes first: the machine's load drifts
        order = ["bare", "ours"] if i % 2 == 0 else ["ours", "bare"]
        for side in order:
            bare.reset()  # same llama.cpp context for both: no prompt cache carried over
            pieces = (
                bare.create_completion(text, **params)
                if side == "bare"
                else ours.stream(long_prompt, SHORT_ANSWER_TOKENS)
            )
            runs[side].append(timed(pieces))
    ttft = statistics.median(r[0] for r in runs["ours"])
    rate = {k: statistics.median(r[2] / r[1] for r in v) for k, v in runs.items()}
    return {
        "prompt_tokens": prompt_tokens,
        "ttft_s": ttft,
        "bare_ttft_s": statistics.median(r[0] for r in runs["bare"]),
        "pieces_per_s": rate["ours"],
        "bare_pieces_per_s": rate["bare"],
        "generation_vs_llamacpp": rate["ours"] / rate["bare"],
    }


# --- start-up -----------------------------------------------------------------------------------------


def bench_startup(work: Path) -> dict[str, float]:
    from gradio_client import Client

    from tests.test_app import free_port

    corpus = work / "startup-corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / "japan-best-partner-in-asia.txt", corpus)
    env = {**os.environ, "RAG_CORPUS_DIR": str(corpus), "RAG_INDEX_DIR": str(work / "startup-index")}
    ingest(settings=Settings.from_env(corpus_dir=corpus, index_dir=work / "startup-index"))  # index exists
    reset_components()
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], env={**env, "RAG_PORT": str(port)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        while True:
            try:
                text = Client(f"http://127.0.0.1:{port}/", verbose=False).predict(
                    "How much did Microsoft pledge?", api_name="/ask"
                )
                break
            except Exception:
                if proc.poll() is not None or time.perf_counter() - started > 120:
                    raise
                time.sleep(0.2)
        startup = time.perf_counter() - started
        assert "2.9 billion" in text
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        for q in ["What is Rapidus?", "How much did TSMC's plant cost?", "Who won the World Cup?"] * 3:
            client.predict(q, api_name="/ask")
        status = Path(f"/proc/{proc.pid}/status").read_text().splitlines()
        rss = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024  # peak RSS
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return {"startup_s": startup, "rss_mb": rss}


def plot(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    ing = results["ingest_runs"]
    left.plot([r["chunks"] for r in ing], [r["ingest_s"] for r in ing], "o-", label="rag ingest")
    left.plot([r["chunks"] for r in ing], [r["encode_s"] for r in ing], "s--", label="bare encode")
    left.set_xlabel("chunks")
    left.set_ylabel("seconds")
    left.set_title("Ingest time vs corpus size")
    left.legend()
    ret = results["retrieval"]
    sizes = [v["chunks"] for v in ret.values()]
    right.plot(sizes, [v["p50_ms"] for v in ret.values()], "o-", label="retrieval p50")
    right.plot(sizes, [v["p95_ms"] for v in ret.values()], "o:", label="retrieval p95")
    right.plot(sizes, [v["bare_p50_ms"] for v in ret.values()], "s--", label="bare Chroma + embed p50")
    right.set_xscale("log")
    right.set_xlabel("chunks")
    right.set_ylabel("ms")
    right.set_title("Query latency vs index size")
    right.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)


TARGETS = {
    "ingest_vs_encode": ("≥ 0.9", lambda v: v >= 0.9),
    "reingest_noop_fraction": ("≤ 0.02", lambda v: v <= 0.02),
    "retrieval_p50_ms_100k": ("≤ 30 ms", lambda v: v <= 30),
    "retrieval_vs_bare_100k": ("≤ 1.3", lambda v: v <= 1.3),
    "generation_vs_llamacpp": ("≥ 0.95", lambda v: v >= 0.95),
    "ttft_s_1500": ("≤ 1.5 s", lambda v: v <= 1.5),
    "startup_s": ("≤ 10 s", lambda v: v <= 10),
    "rss_mb": ("≤ 2048 MB", lambda v: v <= 2048),
}


def markdown(results: dict[str, Any]) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Made by `.venv/bin/python -m bench.run` on the project machine (2 cores, no GPU). Every ratio compares",
        "the project with the bare library doing the same work in the same run. Raw figures:",
        "[bench/results.json](bench/results.json).",
        "",
        "| key | value | target | met |",
        "|---|---|---|---|",
    ]
    for key, (target, ok) in TARGETS.items():
        lines.append(f"| `{key}` | {results[key]:.3f} | {target} | {'yes' if ok(results[key]) else 'no'} |")
    lines += ["", "## Ingest (synthetic articles, MiniLM on CPU)", "",
              "| articles | chunks | rag ingest chunks/s | bare encode chunks/s | ratio | no-op re-ingest |",
              "|---|---|---|---|---|---|"]  # fmt: skip
    for r in results["ingest_runs"]:
        lines.append(
            f"| {r['articles']} | {r['chunks']} | {r['ingest_chunks_per_s']:.1f} | {r['encode_chunks_per_s']:.1f} | "
            f"{r['ingest_vs_encode']:.2f} | {r['reingest_noop_s']:.2f} s ({r['reingest_noop_fraction']:.1%}) |"
        )
    p = results["embedding_processes"]
    lines += ["", f"Embedding worker processes (`RAG_EMBED_PROCESSES`): 1 process {p['ingest_chunks_per_s_1proc']:.1f}"
              f" chunks/s, 2 processes {p['ingest_chunks_per_s_2proc']:.1f} chunks/s.",
              "", "## Retrieval (query embedding + dense + BM25 + fusion; bare = embedding + Chroma query)", "",
              "| chunks | p50 ms | p95 ms | bare p50 ms | bare p95 ms | ratio |", "|---|---|---|---|---|---|"]  # fmt: skip
    for v in results["retrieval"].values():
        lines.append(
            f"| {v['chunks']:,} | {v['p50_ms']:.1f} | {v['p95_ms']:.1f} | {v['bare_p50_ms']:.1f} | "
            f"{v['bare_p95_ms']:.1f} | {v['vs_bare']:.2f} |"
        )
    g = results["generation"]
    lines += ["", "## Generation (Gemma 3 270M Q4_K_M, llama.cpp, 2 threads)", "",
              f"Prompt of {g['prompt_tokens']} tokens: time to first token {g['ttft_s']:.2f} s "
              f"(bare llama.cpp {g['bare_ttft_s']:.2f} s); {g['pieces_per_s']:.1f} tokens/s including the prompt "
              f"(bare {g['bare_pieces_per_s']:.1f}).", "",
              "![ingest and query latency against corpus size](bench/scaling.png)", ""]  # fmt: skip
    return "\n".join(lines)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="rag-bench-"))
    try:
        ingest_runs = [bench_ingest(work, n) for n in (100, 300)]
        print("ingest", ingest_runs, flush=True)
        processes = bench_processes(work, 300)
        print("processes", processes, flush=True)
        retrieval = bench_retrieval(work, [1_000, 10_000, 100_000])
        generation = bench_generation()
        print("generation", generation, flush=True)
        startup = bench_startup(work)
        print("startup", startup, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    big = ingest_runs[-1]
    results = {
        "ingest_vs_encode": big["ingest_vs_encode"],
        "reingest_noop_fraction": big["reingest_noop_fraction"],
        "retrieval_p50_ms_100k": retrieval["100k"]["p50_ms"],
        "retrieval_vs_bare_100k": retrieval["100k"]["vs_bare"],
        "generation_vs_llamacpp": generation["generation_vs_llamacpp"],
        "ttft_s_1500": generation["ttft_s"],
        "startup_s": startup["startup_s"],
        "rss_mb": startup["rss_mb"],
        "ingest_runs": ingest_runs,
        "embedding_processes": processes,
        "retrieval": retrieval,
        "generation": generation,
    }
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2))
    plot(results, ROOT / "bench" / "scaling.png")
    (ROOT / "BENCHMARKS.md").write_text(markdown(results))
    print(json.dumps({k: v for k, v in results.items() if not isinstance(v, dict | list)}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

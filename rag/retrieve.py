"""Question -> Passages: dense search in Chroma fused with BM25 by reciprocal-rank fusion, then the top
candidates reordered by their best sentence.

Why the sentence rerank: a chunk holds ~8 sentences and the answer is usually one of them; scoring the
chunk's best sentence against the question (cosine + IDF term share, as for quoting) finds the passage
that answers rather than the one that is merely on topic. On squad2-dev it lifted MRR@10 from 0.871 to
0.936 (eval/RESULTS.md). No cross-encoder with its weights on PyPI could be installed here (flashrank
downloads its models from a hub at run time), so this uses the MiniLM embedder already loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .embed import Embedder
from .index import Index
from .schema import NO_FILTER, Chunk, Filter, Passage
from .sentences import Quote, score_sentences
from .settings import Settings

# A candidate's rerank score is its best sentence's score plus this x its fused RRF score (RRF scores are
# ~0.01-0.05, sentence scores ~0.3-1.6); chosen on squad2-dev.
RERANK_FUSION_WEIGHT = 30.0


@dataclass(frozen=True)
class Retrieval:
    passages: list[Passage]  # best first; passage i is cited as [i + 1]
    sentences: list[Quote]  # their sentences scored against the query, best first
    ranked: list[Passage] = field(default_factory=list)  # every reranked candidate, best first


def reciprocal_rank_fusion(
    rankings: list[list[str]], rrf_k: int = 60, weights: list[float] | None = None
) -> dict[str, float]:
    """Cormack et al. (2009): score(d) = sum over rankings of weight / (rrf_k + rank(d)), ranks from 1."""
    weights = weights or [1.0] * len(rankings)
    fused: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (rrf_k + rank)
    return fused


class Retriever:
    """Hybrid retrieval over one Index. Cheap to create; the index and embedders are shared. `embedder`
    makes the query vector the stored chunk vectors are searched with; `reader` compares the found
    passages' sentences with the question (the same model unless the index holds int8 vectors)."""

    def __init__(
        self, index: Index, embedder: Embedder, settings: Settings, reader: Embedder | None = None
    ) -> None:
        self.index = index
        self.embedder = embedder
        self.reader = reader or embedder
        self.settings = settings

    def passages_for(self, query: str, k: int | None = None, where: Filter = NO_FILTER) -> list[Passage]:
        """The `k` best passages for `query` among those `where` admits, best first."""
        k = k or self.settings.top_k
        if self.settings.rerank_depth <= 0:
            return self.fused(query, k, where)  # no sentences to score
        return self.retrieve(query, k, where).passages

    def retrieve(self, query: str, k: int | None = None, where: Filter = NO_FILTER) -> Retrieval:
        """The `k` best passages for `query` and their sentences scored against it. The sentences of the
        top `rerank_depth` fused candidates reorder them; without the rerank only the top k's are scored."""
        k = k or self.settings.top_k
        depth = self.settings.rerank_depth
        fused = self.fused(query, max(k, depth), where)
        if not fused:
            return Retrieval([], [])
        if depth <= 0:
            fused = fused[:k]
        scored = score_sentences(query, fused, self.reader.encode, self.index.idf())
        best: dict[int, float] = {}
        for q in scored:
            best.setdefault(q.passage, q.score)
        ranked = sorted(
            range(1, len(fused) + 1),
            key=lambda n: -(best.get(n, 0.0) + RERANK_FUSION_WEIGHT * fused[n - 1].score),
        )
        order = ranked[:k]
        renumber = {old: new for new, old in enumerate(order, start=1)}
        return Retrieval(
            [fused[n - 1] for n in order],
            [replace(q, passage=renumber[q.passage]) for q in scored if q.passage in renumber],
            [fused[n - 1] for n in ranked],
        )

    def fused(self, query: str, k: int, where: Filter = NO_FILTER) -> list[Passage]:
        """The `k` best passages by fused dense + BM25 rank, each with its dense, lexical and fused scores;
        both sides search only the chunks `where` admits (a date range, some sources)."""
        n = max(self.settings.candidates, k)
        mode = self.settings.retrieval
        vector = self.embedder.encode([query])[0]
        dense = self.index.dense_search(vector, n, where) if mode != "lexical" else []
        lexical = self.index.lexical_search(query, n, where) if mode != "dense" else []

        chunks: dict[str, Chunk] = {c.id: c for c, _ in dense}
        dense_score = {c.id: s for c, s in dense}
        dense_rank = {c.id: r for r, (c, _) in enumerate(dense, start=1)}
        lexical_score = dict(lexical)
        lexical_rank = {cid: r for r, (cid, _) in enumerate(lexical, start=1)}

        fused = reciprocal_rank_fusion(
            [[c.id for c, _ in dense], [cid for cid, _ in lexical]],
            rrf_k=self.settings.rrf_k,
            weights=[self.settings.dense_weight, self.settings.lexical_weight],
        )
        best = sorted(fused, key=lambda cid: -fused[cid])[:k]
        missing = [cid for cid in best if cid not in chunks]
        # Lexical-only hits get a dense score too, from their stored embeddings (re-encoding them cost
        # ~20 ms a question), so every passage can be judged on the same scale.
        for cid, (chunk, stored) in self.index.chunks_with_vectors(missing).items():
            chunks[cid] = chunk
            if stored is not None:
                dense_score[cid] = float(stored @ vector)
        return [
            Passage(
                chunk=chunks[cid],
                score=fused[cid],
                dense_score=dense_score.get(cid),
                lexical_score=lexical_score.get(cid),
                dense_rank=dense_rank.get(cid),
                lexical_rank=lexical_rank.get(cid),
            )
            for cid in best
            if cid in chunks
        ]

"""Question -> Passages: dense search in Chroma fused with BM25 by reciprocal-rank fusion."""

from __future__ import annotations

from .chunk import texts_to_embed
from .embed import Embedder
from .index import Index
from .schema import Chunk, Passage
from .settings import Settings


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
    """Hybrid retrieval over one Index. Cheap to create; the index and embedder are shared."""

    def __init__(self, index: Index, embedder: Embedder, settings: Settings) -> None:
        self.index = index
        self.embedder = embedder
        self.settings = settings

    def passages_for(self, query: str, k: int | None = None) -> list[Passage]:
        """The `k` best passages for `query`, best first, each with its dense, lexical and fused scores."""
        k = k or self.settings.top_k
        n = max(self.settings.candidates, k)
        vector = self.embedder.encode([query])[0]
        dense = self.index.dense_search(vector, n)
        lexical = self.index.lexical_search(query, n)

        chunks: dict[str, Chunk] = {c.id: c for c, _ in dense}
        dense_score = {c.id: s for c, s in dense}
        dense_rank = {c.id: r for r, (c, _) in enumerate(dense, start=1)}
        lexical_score = dict(lexical)
        lexical_rank = {cid: r for r, (cid, _) in enumerate(lexical, start=1)}

        fused = reciprocal_rank_fusion(
            [[c.id for c, _ in dense], [cid for cid, _ in lexical]], rrf_k=self.settings.rrf_k
        )
        best = sorted(fused, key=lambda cid: -fused[cid])[:k]
        missing = [cid for cid in best if cid not in chunks]
        chunks.update(self.index.chunks(missing))
        if missing:
            # Lexical-only hits get a dense score too, so every passage can be judged on the same scale.
            found = [chunks[cid] for cid in missing if cid in chunks]
            vectors = self.embedder.encode(texts_to_embed(found, self.embedder.tokenizer))
            for chunk, v in zip(found, vectors, strict=True):
                dense_score[chunk.id] = float(v @ vector)
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

"""Syndicated copies: the same wire story under several outlets, or a lightly edited re-post, is indexed
once and lists every outlet that ran it.

Near-duplicates are found with MinHash LSH (datasketch) over word 4-grams of the body. A pair is a copy
when its estimated Jaccard similarity is at least COPY_SIMILARITY *and* one article's figures are all
in the other: a re-post may trim or add a paragraph, but an update that revises a figure ("now 140
million, up from 120") is a new report, and must stay searchable on its own date.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from .schema import Article, Report
from .text import figures_in

log = logging.getLogger(__name__)

COPY_SIMILARITY = 0.7
NUM_PERM = 64  # estimates Jaccard within ~0.06 near 0.7; twice the permutations cost twice the time
SHINGLE_WORDS = 4
SCHEME = "affine32"  # datasketch's default hashing scheme since 2.0, named so cached values stay valid


def _shingles(text: str) -> set[bytes]:
    words = re.findall(r"\w+", text.casefold())
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}


def _figures(article: Article) -> frozenset[str]:
    return frozenset(re.sub(r"[\s,]", "", f.casefold()) for f in figures_in(article.body))


def _report(article: Article) -> Report:
    return Report(
        source=article.source or article.id,
        published_at=article.published_at,
        url=article.url,
        article_id=article.id,
        title=article.title,
    )


@functools.cache
def _permutations() -> Any:
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations


class SignatureCache:
    """MinHash signatures of article bodies by content hash, kept beside the index so that a re-ingest of
    an unchanged corpus does not hash every article again (that alone cost more than the rest of a no-op
    ingest). Only a cache: a missing or damaged file just means the signatures are computed."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._old: dict[str, np.ndarray] = {}
        self.used: dict[str, np.ndarray] = {}
        if path is not None and path.exists():
            try:
                with np.load(path) as data:
                    self._old = dict(zip(data["keys"].tolist(), data["values"], strict=True))
            except Exception as e:  # any damage means "compute again"
                log.warning("signature cache %s is unreadable (%s); recomputing", path, e)

    def signature(self, article: Article) -> Any:
        from datasketch import MinHash

        values = self.used.get(article.content_hash)
        if values is None:
            values = self._old.get(article.content_hash)
        permutations = _permutations()  # made once: making them is most of the cost of a MinHash
        if values is None or len(values) != NUM_PERM:
            sig = MinHash(num_perm=NUM_PERM, permutations=permutations, scheme=SCHEME)
            sig.update_batch(list(_shingles(article.body)))
            values = sig.hashvalues
        self.used[article.content_hash] = values
        return MinHash(num_perm=NUM_PERM, hashvalues=values, permutations=permutations, scheme=SCHEME)

    def save(self) -> None:
        """Keep the signatures of this run's articles only (written aside and renamed: never half a file)."""
        if self.path is None:
            return
        keys = np.array(list(self.used), dtype=str)
        values = np.array(list(self.used.values()), dtype=np.uint64).reshape(len(keys), NUM_PERM)
        tmp = self.path.with_name(self.path.name + ".tmp.npz")
        np.savez(tmp, keys=keys, values=values)
        tmp.replace(self.path)


def merge_copies(
    articles: list[Article], indexed: Iterable[str] = (), cache: SignatureCache | None = None
) -> tuple[list[Article], list[tuple[str, str]]]:
    """Articles with each group of copies merged into one, and (copy id, id it was merged into) pairs.

    The article kept is one already `indexed` if the group has one (so adding a re-post never re-embeds
    the story), else the earliest dated (the original), else the first by id. Order is preserved.
    """
    from datasketch import MinHashLSH

    cache = cache or SignatureCache(None)
    lsh = MinHashLSH(threshold=COPY_SIMILARITY, num_perm=NUM_PERM)
    signatures: dict[str, Any] = {}
    by_id = {a.id: a for a in articles}
    parent = {a.id: a.id for a in articles}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a in articles:
        signature = cache.signature(a)
        for other in lsh.query(signature):
            b = by_id[other]
            if signature.jaccard(signatures[other]) < COPY_SIMILARITY:
                continue
            fa, fb = _figures(a), _figures(b)
            if fa <= fb or fb <= fa:
                parent[root(a.id)] = root(other)
        if a.id not in signatures:  # the same id twice cannot happen from load_corpus, but be safe
            lsh.insert(a.id, signature)
            signatures[a.id] = signature

    groups: dict[str, list[Article]] = {}
    for a in articles:
        groups.setdefault(root(a.id), []).append(a)
    already = set(indexed)
    keep: dict[str, Article] = {}
    merged: list[tuple[str, str]] = []
    for members in groups.values():
        if len(members) == 1:
            keep[members[0].id] = members[0]
            continue
        first = min(
            members,
            key=lambda a: (a.id not in already, not a.published_at, a.published_at, a.id),
        )
        others = sorted((a for a in members if a is not first), key=lambda a: (a.published_at or "~", a.id))
        keep[first.id] = dataclasses.replace(first, copies=tuple(_report(a) for a in others))
        merged += [(a.id, first.id) for a in others]
    return [keep[a.id] for a in articles if a.id in keep], merged

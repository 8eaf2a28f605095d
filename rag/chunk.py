"""Article -> Chunks, sized in the embedding model's own word pieces.

all-MiniLM-L6-v2 reads at most 256 word pieces ([CLS] and [SEP] included) and silently ignores the
rest, so a chunk measured in characters or words could be unsearchable past its middle. What is embedded
is `embedding_text(chunk)` (headline + passage), and that whole string must fit the window.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Sequence
from typing import Protocol

from langchain_text_splitters import RecursiveCharacterTextSplitter

from .schema import Article, Chunk

MODEL_WINDOW_TOKENS = 256
_SPECIAL_TOKENS = 2  # [CLS] ... [SEP]
_MAX_TITLE_TOKENS = 48  # a longer headline is cut in the embedding text only; the passage never is
_MIN_CHUNK_TOKENS = 32
# Paragraphs, lines, sentences, clauses, words: the splitter tries each in turn.
_SEPARATORS = [
    r"\n\n",
    r"\n",
    r"(?<=[.!?])\s+",
    r"(?<=[.!?][\"”’)])\s+",
    r"(?<=[;:])\s+",
    r"(?<=,)\s+",
    r"\s+",
    r"",
]


class Tokenizer(Protocol):
    def tokenize(self, text: str) -> list[str]: ...

    def convert_tokens_to_string(self, tokens: list[str]) -> str: ...


def count_tokens(tokenizer: Tokenizer, text: str) -> int:
    """Word pieces the embedding model sees for `text`, [CLS] and [SEP] included."""
    return _piece_counter(tokenizer)(text) + _SPECIAL_TOKENS


def embedding_title(tokenizer: Tokenizer, title: str) -> str:
    if _piece_counter(tokenizer)(title) <= _MAX_TITLE_TOKENS:
        return title
    return tokenizer.convert_tokens_to_string(tokenizer.tokenize(title)[:_MAX_TITLE_TOKENS])


def embedding_text(title: str, text: str) -> str:
    """The string that is embedded for a chunk: its headline gives the passage its context."""
    return f"{title}\n{text}" if title else text


def texts_to_embed(chunks: Sequence[Chunk], tokenizer: Tokenizer) -> list[str]:
    """What is embedded for each chunk: its (possibly shortened) headline, then its text."""
    titles: dict[str, str] = {}  # an article's chunks share its headline: shorten it once
    for c in chunks:
        if c.title not in titles:
            titles[c.title] = embedding_title(tokenizer, c.title)
    return [embedding_text(titles[c.title], c.text) for c in chunks]


def chunk_article(
    article: Article, tokenizer: Tokenizer, chunk_tokens: int = 200, overlap_tokens: int = 32
) -> list[Chunk]:
    """Split an article into chunks whose embedding text fits the model window.

    `chunk_tokens` bounds headline + passage; the passage gets what the headline leaves. Offsets
    (`start`, `end`) index into `article.body`, so `article.body[c.start:c.end] == c.text`.
    """
    return chunk_articles([article], tokenizer, chunk_tokens, overlap_tokens)[0]


def chunk_articles(
    articles: Sequence[Article], tokenizer: Tokenizer, chunk_tokens: int = 200, overlap_tokens: int = 32
) -> list[list[Chunk]]:
    """`chunk_article` for many articles, checking every chunk against the window in one batch call."""
    planned = []
    for article in articles:
        title = embedding_title(tokenizer, article.title)
        title_tokens = _piece_counter(tokenizer)(title) + 1 if title else 0  # +1 for the newline's share
        budget = max(
            _MIN_CHUNK_TOKENS, min(chunk_tokens, MODEL_WINDOW_TOKENS) - _SPECIAL_TOKENS - title_tokens
        )
        pieces = _split(article.body, tokenizer, budget, min(overlap_tokens, budget // 4))
        planned.append((article, title, budget, pieces))
    # The splitter adds up the lengths of the parts it merges, which can miss by a few word pieces
    # against tokenizing the merged text; re-split whatever overshoots so the window is a hard limit.
    counts = iter(
        _count_many(tokenizer, [embedding_text(title, p) for _, title, _, pieces in planned for p in pieces])
    )
    out = []
    for article, title, budget, pieces in planned:
        fitted: list[str] = []
        for piece in pieces:
            if next(counts) + _SPECIAL_TOKENS <= MODEL_WINDOW_TOKENS:
                fitted.append(piece)
            else:
                fitted.extend(_fit(piece, title, tokenizer, budget, MODEL_WINDOW_TOKENS))
        out.append(_locate(article, fitted))
    return out


def _count_many(tokenizer: Tokenizer, texts: list[str]) -> list[int]:
    """Word pieces of each text (no special tokens), in one call to the Rust tokenizer when there is one."""
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        return [len(tokenizer.tokenize(t)) for t in texts]
    return [len(e.ids) for e in backend.encode_batch(texts, add_special_tokens=False)]


def _split(text: str, tokenizer: Tokenizer, budget: int, overlap: int) -> list[str]:
    # The splitter measures each piece twice (to decide whether to split it, then to merge it): remember.
    length = functools.lru_cache(maxsize=4096)(_piece_counter(tokenizer))
    splitter = RecursiveCharacterTextSplitter(
        length_function=length,
        chunk_size=budget,
        chunk_overlap=overlap,
        separators=_SEPARATORS,
        is_separator_regex=True,
        keep_separator=True,  # with False, regex separators are re-joined as their literal pattern
        strip_whitespace=True,
    )
    return [p for p in splitter.split_text(text) if p.strip()]


def _piece_counter(tokenizer: Tokenizer) -> Callable[[str], int]:
    """Word pieces in a text, as `len(tokenizer.tokenize(text))` counts them. The splitter calls this
    thousands of times per article batch, so the Rust tokenizer is called directly when there is one
    (a quarter faster than going through transformers' wrapper)."""
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        return lambda text: len(tokenizer.tokenize(text))
    return lambda text: len(backend.encode(text, add_special_tokens=False).ids)


def _fit(piece: str, title: str, tokenizer: Tokenizer, budget: int, limit: int) -> list[str]:
    if count_tokens(tokenizer, embedding_text(title, piece)) <= limit:
        return [piece]
    smaller = max(8, int(budget * 0.8))
    out: list[str] = []
    for part in _split(piece, tokenizer, smaller, 0):
        if part == piece:  # cannot split further (should not happen with the "" separator)
            raise ValueError("a chunk cannot be split to fit the embedding window")
        out.extend(_fit(part, title, tokenizer, smaller, limit))
    return out


def _locate(article: Article, texts: Sequence[str]) -> list[Chunk]:
    chunks: list[Chunk] = []
    cursor = 0
    for position, text in enumerate(texts):
        start = article.body.find(text, cursor)
        if start < 0:  # overlap can step back before the cursor
            start = article.body.find(text)
        if start < 0:
            raise AssertionError(f"chunk text not found in article {article.id}")
        end = start + len(text)
        cursor = start + 1
        # The article's index hash is in the id: a changed date or source list gives new ids, so every
        # index built from the ids (the BM25 side's dates and sources, on every replica) sees the change.
        digest = hashlib.sha1(f"{article.id}\0{article.index_hash}\0{position}\0{text}".encode()).hexdigest()[
            :16
        ]
        chunks.append(
            Chunk(
                id=f"{digest}",
                article_id=article.id,
                title=article.title,
                text=text,
                start=start,
                end=end,
                position=position,
                published_at=article.published_at,
                source=article.source,
                url=article.url,
                copies=article.copies,
            )
        )
    return chunks

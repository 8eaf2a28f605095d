from rag.chunk import MODEL_WINDOW_TOKENS, chunk_article, count_tokens, texts_to_embed
from rag.ingest import load_file, make_article

from .conftest import SEED


def _assert_fits(chunks, article, tokenizer):
    assert chunks
    for c, text in zip(chunks, texts_to_embed(chunks, tokenizer), strict=True):
        assert count_tokens(tokenizer, text) <= MODEL_WINDOW_TOKENS
        assert article.body[c.start : c.end] == c.text
        assert c.article_id == article.id


def test_seed_chunks_fit_the_window_and_point_into_the_article(embedder):
    article = load_file(SEED, SEED.parent)[0][0]
    chunks = chunk_article(article, embedder.tokenizer, chunk_tokens=200)
    _assert_fits(chunks, article, embedder.tokenizer)
    covered = "".join(article.body[c.start : c.end] for c in chunks)
    for sentence in ("Microsoft plans to offer AI training", "re-establish itself as a major force"):
        assert sentence in covered


def test_hostile_text_still_fits_the_window(embedder):
    # No spaces, long words, a very long headline: the splitter must still cut below the window.
    body = ("Supercalifragilistic" * 400) + "\n\n" + ("数字" * 2000) + "\n\n" + " ".join(["word"] * 3000)
    article = make_article("x.txt", "A headline " * 60, body)
    chunks = chunk_article(article, embedder.tokenizer, chunk_tokens=254, overlap_tokens=50)
    _assert_fits(chunks, article, embedder.tokenizer)
    assert max(count_tokens(embedder.tokenizer, t) for t in texts_to_embed(chunks, embedder.tokenizer)) > 150

"""Corpus files -> Articles.

Accepted: `.txt` / `.md` (first non-empty line is the headline; `.md` may open with `---` front matter
holding title/date/source/url), `.html` / `.htm` (text, headline and date extracted by trafilatura),
`.json` (one record or a list of records) and `.jsonl` (one record a line) with `title`, `body`,
optional `source`, `published_at`, `url`; `.pdf` (text layer), `.docx` and `.rtf` (rag/documents.py),
read like `.txt`. A text or document file that is a news-database export (LexisNexis "End of Document"
or Factiva "Document <id>" lines between articles) becomes one article per story.
An article with no date in its metadata takes one from a dateline opening its text ("LONDON, 3 March
2026 (Reuters) - ..."), with the outlet in brackets as its source. A file that cannot be read becomes a
`Problem` with a message for people; the rest of the corpus still loads.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from . import documents
from .clean import clean_body, normalize_text
from .errors import UnreadableArticle
from .schema import Article

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".json", ".jsonl", ".pdf", ".docx", ".rtf")
MAX_FILE_BYTES = 50 * 1024 * 1024
# Bump when cleaning or parsing changes what an unchanged file turns into, so the index is rebuilt.
PARSER_VERSION = "11"


@dataclass(frozen=True)
class Problem:
    """A corpus file (or one record of it) that could not be indexed, and why."""

    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.reason}"


def iter_corpus_files(root: Path) -> Iterator[Path]:
    """Supported files under `root` (or `root` itself), sorted; hidden files and symlinked folders skipped."""
    if root.is_file():
        yield root
        return
    found: list[Path] = []
    # followlinks=False: a symlink loop in a user's folder must not hang the ingest.
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.startswith(".") or not name.lower().endswith(SUPPORTED_SUFFIXES):
                continue
            found.append(Path(folder) / name)
    yield from sorted(found)


def load_corpus(root: Path) -> tuple[list[Article], list[Problem]]:
    """Read every supported file under `root` into articles; unreadable ones are returned as problems."""
    if not root.exists():
        raise FileNotFoundError(f"corpus folder {root} does not exist")
    articles: list[Article] = []
    problems: list[Problem] = []
    base = root if root.is_dir() else root.parent
    for path in iter_corpus_files(root):
        file_articles, file_problems = load_file(path, base)
        articles.extend(file_articles)
        problems.extend(file_problems)
    return articles, problems


def load_file(path: Path, base: Path | None = None) -> tuple[list[Article], list[Problem]]:
    """One corpus file -> its articles (a JSONL file or a news-database export may hold many) and the
    problems met."""
    rel = _relative_id(path, base)
    try:
        raw = _read_bytes(path)
        return READERS[path.suffix.lower()](raw, rel, str(path))
    except UnreadableArticle as e:
        return [], [Problem(str(path), str(e))]
    except OSError as e:
        return [], [Problem(str(path), f"cannot read file: {e.strerror or e}")]


Loaded = tuple[list[Article], list[Problem]]


def _text_file(raw: bytes, rel: str, path: str) -> Loaded:
    return _load_text(_decode_text(raw), rel, path, markdown=False)


def _markdown_file(raw: bytes, rel: str, path: str) -> Loaded:
    return _load_text(_decode_text(raw), rel, path, markdown=True)


def _html_file(raw: bytes, rel: str, path: str) -> Loaded:
    return [_article_from_html(_decode_text(raw), rel, path)], []


def _json_file(raw: bytes, rel: str, path: str) -> Loaded:
    return _load_json(_decode_text(raw), rel, path)


def _jsonl_file(raw: bytes, rel: str, path: str) -> Loaded:
    return _load_jsonl(_decode_text(raw), rel, path)


def _document(extract: Callable[[bytes], str]) -> Callable[[bytes, str, str], Loaded]:
    """A reader for a binary format: its text, then the same path as a .txt file (exports split)."""
    return lambda raw, rel, path: _load_text(normalize_text(extract(raw)), rel, path, markdown=False)


# Every reader receives the file's bytes: a binary format must not meet the text checks first.
READERS: dict[str, Callable[[bytes, str, str], Loaded]] = {
    ".txt": _text_file,
    ".md": _markdown_file,
    ".html": _html_file,
    ".htm": _html_file,
    ".json": _json_file,
    ".jsonl": _jsonl_file,
    ".pdf": _document(documents.pdf_text),
    ".docx": _document(documents.docx_text),
    ".rtf": _document(documents.rtf_text),
}


def _load_text(text: str, rel: str, path: str, *, markdown: bool) -> Loaded:
    """A text file's article, or each article of a news-database export (see documents.split_export)."""
    exported = None if markdown else documents.split_export(text)
    if exported is None:
        return [_article_from_text(text, rel, path, markdown=markdown)], []
    articles, problems = [], []
    for n, e in enumerate(exported, start=1):
        try:
            articles.append(make_article(f"{rel}#{n}", e.title, e.body, source=e.source,
                                         published_at=e.published_at, path=path))  # fmt: skip
        except UnreadableArticle as err:
            problems.append(Problem(path, f"article {n} ({e.title[:60]}): {err}"))
    return articles, problems


def make_article(
    article_id: str,
    title: str,
    body: str,
    *,
    source: str = "",
    published_at: Any = "",
    url: str = "",
    path: str = "",
) -> Article:
    """Clean the body and build an Article; raises UnreadableArticle when nothing readable is left."""
    title = " ".join(normalize_text(str(title or "")).split())
    cleaned = clean_body(str(body or ""), headline=title)
    if not cleaned.text.strip():
        if title and not str(body or "").strip():
            raise UnreadableArticle("article has a headline but no body text")
        raise UnreadableArticle("article has no text left to index (empty, or only captions/banners)")
    if not title:
        title = _first_words(cleaned.text)
    published = _iso_date(published_at)
    if not published:
        published, dateline_source = dateline(cleaned.text)
        source = source or dateline_source
    content = json.dumps(
        [PARSER_VERSION, title, cleaned.text, str(source or ""), published, str(url or "")],
        ensure_ascii=False,
    )
    return Article(
        id=article_id,
        title=title,
        body=cleaned.text,
        source=str(source or "").strip(),
        published_at=published,
        url=str(url or "").strip(),
        path=path,
        content_hash=hashlib.sha256(content.encode("utf-8")).hexdigest(),
        removed_lines=cleaned.removed,
    )


def _relative_id(path: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            pass
    return path.name


def _read_bytes(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UnreadableArticle(f"file is {size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB")
    return path.read_bytes()


def _decode_text(raw: bytes) -> str:
    if b"\x00" in raw[:8192]:
        raise UnreadableArticle("binary file, not text (it contains NUL bytes)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UnreadableArticle(
            f"not UTF-8 text (byte 0x{raw[e.start]:02x} at offset {e.start}); re-save it as UTF-8"
        ) from None


_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


def _article_from_text(text: str, article_id: str, path: str, *, markdown: bool) -> Article:
    meta: dict[str, str] = {}
    if markdown and (m := _FRONT_MATTER.match(text)):
        for line in m.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip().lower()] = value.strip().strip("\"'")
        text = text[m.end() :]
    lines = text.strip().split("\n")
    title = meta.get("title", "")
    if not title:
        title = lines[0].strip()
        if markdown:
            title = title.lstrip("#").strip()
        lines = lines[1:]
    if not title and not "".join(lines).strip():
        raise UnreadableArticle("file is empty")
    return make_article(
        article_id,
        title,
        "\n".join(lines),
        source=meta.get("source", ""),
        published_at=meta.get("published_at") or meta.get("date", ""),
        url=meta.get("url", ""),
        path=path,
    )


def _article_from_html(html: str, article_id: str, path: str) -> Article:
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    if not html.strip():
        raise UnreadableArticle("file is empty")
    extracted = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, with_metadata=True, favor_precision=True
    )
    if extracted is None:
        raise UnreadableArticle("no article text found in the HTML page")
    data = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    body = data.get("text") or ""
    if not body.strip():
        raise UnreadableArticle("no article text found in the HTML page")
    return make_article(
        article_id,
        data.get("title") or "",
        body,
        source=data.get("sitename") or "",
        published_at=data.get("date") or "",
        url=data.get("url") or "",
        path=path,
    )


def _article_from_record(record: Any, article_id: str, path: str) -> Article:
    if not isinstance(record, dict):
        raise UnreadableArticle(f"expected a JSON object, got {type(record).__name__}")
    body = record.get("body") or record.get("text") or record.get("content")
    if not isinstance(body, str) or not body.strip():
        raise UnreadableArticle("record has no 'body' text")
    return make_article(
        article_id,
        record.get("title") or "",
        body,
        source=record.get("source") or "",
        published_at=record.get("published_at") or record.get("date") or "",
        url=record.get("url") or "",
        path=path,
    )


def _record_id(rel: str, record: Any, index: int) -> str:
    if isinstance(record, dict) and isinstance(record.get("id"), str | int) and str(record["id"]).strip():
        return f"{rel}#{str(record['id']).strip()}"
    return f"{rel}#{index}"


def _load_json(text: str, rel: str, path: str) -> tuple[list[Article], list[Problem]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise UnreadableArticle(f"invalid JSON at line {e.lineno} column {e.colno}: {e.msg}") from None
    if isinstance(data, dict):
        return [_article_from_record(data, rel, path)], []
    if not isinstance(data, list):
        raise UnreadableArticle("JSON must be an article object or a list of article objects")
    articles, problems = [], []
    for i, record in enumerate(data):
        try:
            articles.append(_article_from_record(record, _record_id(rel, record, i), path))
        except UnreadableArticle as e:
            problems.append(Problem(path, f"record {i}: {e}"))
    return articles, problems


def _load_jsonl(text: str, rel: str, path: str) -> tuple[list[Article], list[Problem]]:
    articles, problems = [], []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            articles.append(_article_from_record(record, _record_id(rel, record, lineno), path))
        except json.JSONDecodeError as e:
            problems.append(Problem(path, f"invalid JSON: {e.msg}", line=lineno))
        except UnreadableArticle as e:
            problems.append(Problem(path, str(e), line=lineno))
    return articles, problems


def _iso_date(value: Any) -> str:
    """An ISO 8601 date (YYYY-MM-DD) from a date, datetime or common date string; "" when unknown."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value or "").strip()
    if not text:
        return ""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return ""
    try:
        import dateparser  # a maintained parser for the many ways outlets write dates

        parsed = dateparser.parse(text, settings={"PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": False})
    except Exception:  # dateparser raises a variety of errors on odd input; an unknown date is fine
        parsed = None
    return parsed.date().isoformat() if parsed else ""


# "LONDON, 3 March 2026 (Reuters) - ...", "March 3, 2026 — ...", "Published: 3 March 2026": a date at the
# very start of the text. The pattern only finds where the date is; dateparser reads it.
_DATELINE = re.compile(
    r"\A\s*(?:(?:published|posted|updated)(?:\s+on)?:?\s*)?(?:[A-Z][A-Za-z .'-]{1,40},\s+)?"
    r"(?P<date>(?:[A-Z][a-z]+,?\s+)?(?:\d{1,2}\s+[A-Z][a-z]+\.?,?\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}|"
    r"\d{4}-\d{2}-\d{2}))"
    r"\s*(?:\((?P<source>[^()\n]{2,40})\))?\s*(?:[-—–:|]|\n)",
    re.IGNORECASE,
)


def dateline(text: str) -> tuple[str, str]:
    """(ISO date, source) from a dateline opening the text; ("", "") when there is none."""
    m = _DATELINE.match(text[:200])
    if not m:
        return "", ""
    import dateparser

    try:
        parsed = dateparser.parse(m["date"], languages=["en"], settings={"STRICT_PARSING": True})
    except Exception:  # dateparser raises a variety of errors on odd input; no date is fine
        parsed = None
    if parsed is None:
        return "", ""
    return parsed.date().isoformat(), (m["source"] or "").strip()


def _first_words(text: str, n: int = 12) -> str:
    words = text.split()
    return " ".join(words[:n]) + ("…" if len(words) > n else "")


# --- uploads ---------------------------------------------------------------------------------------

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
_UNSAFE_NAME_CHARS = re.compile(r"[^\w.\- ]+")


def safe_upload_name(name: str) -> str:
    """A file name that stays inside the uploads folder: no folders, no traversal, no hidden files."""
    base = re.split(r"[\\/]", name)[-1]  # "../../x.txt" and "C:\\x.txt" keep only their last part
    base = _UNSAFE_NAME_CHARS.sub("_", normalize_text(base)).strip(" ._")
    stem, dot, suffix = base.rpartition(".")
    if not dot or not stem or f".{suffix.lower()}" not in SUPPORTED_SUFFIXES:
        allowed = ", ".join(SUPPORTED_SUFFIXES)
        raise UnreadableArticle(f"{name!r}: not an article file; accepted types are {allowed}")
    return f"{stem[:120]}.{suffix.lower()}"


def save_upload(source: Path, original_name: str, uploads_dir: Path) -> Path:
    """Copy an uploaded file into `uploads_dir` under a sanitised name; raises UnreadableArticle."""
    name = safe_upload_name(original_name)
    size = source.stat().st_size
    if size > MAX_UPLOAD_BYTES:
        raise UnreadableArticle(
            f"{original_name!r}: {size / 1e6:.1f} MB is over the {MAX_UPLOAD_BYTES / 1e6:.0f} MB upload limit"
        )
    if size == 0:
        raise UnreadableArticle(f"{original_name!r}: the file is empty")
    uploads_dir.mkdir(parents=True, exist_ok=True)
    target = (uploads_dir / name).resolve()
    if target.parent != uploads_dir.resolve():  # belt and braces after sanitising
        raise UnreadableArticle(f"{original_name!r}: file name leaves the uploads folder")
    tmp = target.with_name(f".{target.name}.part")
    tmp.write_bytes(source.read_bytes())
    tmp.replace(target)  # atomic: an ingest never sees half a file
    return target

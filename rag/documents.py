"""Office and archive formats -> plain text, and export files -> the articles they hold.

- `.pdf` through pypdf's text layer, `.docx` through python-docx, `.rtf` through striprtf: maintained
  readers, each given the file's bytes (a binary format must not meet the text checks first).
- News databases export many articles into one file, one after another. LexisNexis-style exports end
  each with an "End of Document" line, Factiva-style ones with a "Document <id>" line; each article opens
  with its headline, then a few short lines holding its outlet and date. `split_export` cuts such a file
  into articles with their own headline, source and date; a file without those lines is one article.

Every failure is an `UnreadableArticle` whose message says what to do with the file.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from .errors import UnreadableArticle


def pdf_text(raw: bytes) -> str:
    """The PDF's text layer, page after page."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):  # an empty user password opens many PDFs
            raise UnreadableArticle("the PDF is password-protected: save an unprotected copy and add that")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableArticle:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as e:
        raise UnreadableArticle(f"not a readable PDF ({type(e).__name__}: {e})") from None
    text = "\n".join(pages)
    if not text.strip():
        raise UnreadableArticle("the PDF has no text layer (a scanned page?): run OCR on it first")
    return text


def docx_text(raw: bytes) -> str:
    """The Word document's paragraphs, one a line."""
    import zipfile

    import docx

    try:
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise UnreadableArticle(f"not a readable Word (.docx) document ({type(e).__name__})") from None
    return "\n".join(p.text for p in document.paragraphs)


_RTF_CODEPAGE = re.compile(rb"\\ansicpg(\d+)")


def rtf_text(raw: bytes) -> str:
    """The RTF's text, in the code page the file declares (cp1252 when it declares none)."""
    from striprtf.striprtf import rtf_to_text

    if not raw.lstrip().startswith(b"{\\rtf"):
        raise UnreadableArticle("not an RTF file (it does not start with {\\rtf)")
    declared = _RTF_CODEPAGE.search(raw[:2000])
    encoding = f"cp{declared.group(1).decode()}" if declared else "cp1252"
    try:
        # RTF is 7-bit ASCII with escapes; striprtf decodes the \'xx escapes with `encoding`.
        return rtf_to_text(raw.decode("latin-1"), encoding=encoding, errors="replace")
    except LookupError:
        return rtf_to_text(raw.decode("latin-1"), encoding="cp1252", errors="replace")


# --- export files -----------------------------------------------------------------------------------

_END_OF_DOCUMENT = re.compile(r"^[ \t]*(?:End of Document|Document [A-Za-z0-9]{12,})[ \t]*\r?$", re.MULTILINE)
_WORD_COUNT = re.compile(r"^\d[\d,]* words$", re.IGNORECASE)
_HEADER_FIELD = re.compile(
    r"^(Copyright|©|\(c\)|Section|Length|Byline|By |Load-Date|Language|Publication-Type|Body$|"
    r"Highlight|Dateline|Graphic|Journal Code)",
    re.IGNORECASE,
)
_LANGUAGE_OR_CODE = re.compile(r"^(English|French|German|Spanish|[A-Z0-9]{2,10})$")
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
HEADER_LINES = 10  # an export's header (outlet, date, word count, copyright) fits in this many lines


@dataclass(frozen=True)
class ExportedArticle:
    title: str
    body: str
    source: str = ""
    published_at: str = ""


def split_export(text: str) -> list[ExportedArticle] | None:
    """The articles of a news-database export, or None when `text` is not one (a single article)."""
    if not _END_OF_DOCUMENT.search(text):
        return None
    blocks = [b.strip() for b in _END_OF_DOCUMENT.split(text)]
    return [_exported_article(b) for b in blocks if b]


def _exported_article(block: str) -> ExportedArticle:
    from .ingest import _iso_date  # the corpus's one reading of dates

    lines = [line.strip() for line in block.splitlines()]
    lines = [line for line in lines if line]
    title, rest = lines[0], lines[1:]
    source, published, body_start = "", "", 0
    for i, line in enumerate(rest[:HEADER_LINES]):
        if len(line) > 90 or (line.endswith(".") and len(line.split()) > 8):
            break  # prose: the body has started
        body_start = i + 1
        if not published and _YEAR.search(line) and (day := _iso_date(_strip_weekday(line))):
            published = day
        elif not (_WORD_COUNT.match(line) or _HEADER_FIELD.match(line) or _LANGUAGE_OR_CODE.match(line)):
            source = source or line
    return ExportedArticle(title, "\n".join(rest[body_start:]), source, published)


def _strip_weekday(line: str) -> str:
    """ "March 3, 2026 Tuesday" -> "March 3, 2026" (LexisNexis appends the weekday)."""
    return re.sub(r"\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$", "", line)

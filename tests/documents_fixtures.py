"""Real files in each format, made the way their producers make them (python-docx for Word, pypdf for
encryption, a hand-built PDF with a standard-font text layer), for the ingest tests."""

from __future__ import annotations

import io
from pathlib import Path


def pdf_bytes(pages: list[list[str]]) -> bytes:
    """A valid PDF whose pages hold `pages` (lines of text) in a text layer (Helvetica); [] lines: a page
    with no text at all, as a scanned page looks to a text extractor."""
    objects: list[bytes] = []
    page_ids = []
    font_id = 3 + 2 * len(pages)
    for i, lines in enumerate(pages):
        content_id, page_id = 3 + 2 * i + 1, 3 + 2 * i
        page_ids.append(page_id)
        ops = ["BT", "/F1 11 Tf", "14 TL", "50 780 Td"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Contents {content_id} 0 R "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    kids = " ".join(f"{p} 0 R" for p in page_ids)
    head = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
    ]
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    body = head + objects + [font]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, obj in enumerate(body, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(body) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(body) + 1, xref))
    return out.getvalue()


def encrypted_pdf_bytes(lines: list[str], password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes([lines]))))
    writer.encrypt(user_password=password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write_docx(path: Path, paragraphs: list[str]) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(paragraphs[0], level=1)
    for text in paragraphs[1:]:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def rtf_bytes(title: str, body: str, codepage: int = 1252) -> bytes:
    """RTF as word processors write it: 7-bit ASCII, other characters as \\'xx escapes in the code page."""

    def escape(text: str) -> str:
        out = []
        for ch in text:
            if ord(ch) < 128:
                out.append({"\\": "\\\\", "{": "\\{", "}": "\\}"}.get(ch, ch))
            else:
                out.extend(f"\\'{b:02x}" for b in ch.encode(f"cp{codepage}"))
        return "".join(out)

    doc = f"{{\\rtf1\\ansi\\ansicpg{codepage}\\deff0{{\\fonttbl{{\\f0 Times New Roman;}}}}\\f0\\fs24 "
    doc += f"{{\\b {escape(title)}}}\\par\n\\par\n{escape(body)}\\par\n}}"
    return doc.encode("ascii")

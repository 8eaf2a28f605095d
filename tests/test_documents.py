"""PDF, Word and RTF files, and news-database exports holding many articles, through the real ingest,
the real embedding model and a real Chroma index."""

from __future__ import annotations

import pytest

from rag import answer, ingest, list_articles
from rag.ingest import load_file

from .documents_fixtures import encrypted_pdf_bytes, pdf_bytes, rtf_bytes, write_docx

LEXIS_EXPORT = """Harbour bridge in Portvale reopens after repairs
The Portvale Courier
March 3, 2025 Monday
Copyright 2025 Portvale Media Ltd All Rights Reserved
Section: NEWS; Length: 61 words
Byline: Ana Ruiz
Body
The Harbour Bridge in Portvale reopened on Monday after repairs costing 12 million euros. Officials said
traffic would stay light for the first week while the last lane markings are painted.
Load-Date: March 4, 2025
End of Document
Ardmore mill closes after 90 years
Valley Post
April 9, 2025 Wednesday
Copyright 2025 Valley Post
Length: 40 words
Body
The old mill in Ardmore closed its doors on Wednesday after 90 years; its 140 workers were offered jobs
at the company's plant in Kessock.
End of Document
"""

FACTIVA_PARAGRAPHS = [
    "Saltmere dock strike ends with pay deal",
    "212 words",
    "6 May 2025",
    "Coastal Times",
    "CSTTIM",
    "English",
    "(c) 2025 Coastal Times",
    "Dock workers in Saltmere ended their strike on Tuesday after a pay deal of 6 per cent was agreed with the "
    "port authority, ending three weeks of disruption.",
    "Document CSTTIM0020250506el5600001",
    "Kessock rail line opens to passengers",
    "98 words",
    "1 July 2025",
    "Highland Wire",
    "HGHWIR",
    "English",
    "The rail line to Kessock opened to passengers on Tuesday, two years late and 40 million pounds over budget.",
    "Document HGHWIR0020250701el7100002",
]


def test_pdf_docx_and_rtf_articles_are_indexed_and_answered(fresh_settings):
    corpus = fresh_settings.corpus_dir
    (corpus / "plant.pdf").write_bytes(pdf_bytes([[
        "Chip plant opens in Kumamoto",
        "KUMAMOTO, 24 February 2024 - TSMC opened a US$8.6 billion chip plant in Kumamoto on Saturday,",
        "its first in Japan.",
    ]]))  # fmt: skip
    write_docx(corpus / "ferry.docx", ["Ferry fares to Inchmore rise", "Ferry fares to Inchmore rose by 4 per cent "
               "on Monday, the operator Inchmore Ferries said, blaming fuel costs."])  # fmt: skip
    (corpus / "cafe.rtf").write_bytes(rtf_bytes("Café in Lyon closes", "The Café Bellecour in Lyon closed "
                                                "after 120 years; its owner cited rents that doubled."))  # fmt: skip
    report = ingest(settings=fresh_settings)
    assert not report.problems and sorted(report.added) == ["cafe.rtf", "ferry.docx", "plant.pdf"]
    titles = {a.title: a for a in list_articles(fresh_settings)}
    assert titles["Chip plant opens in Kumamoto"].published_at == "2024-02-24"  # from the dateline
    assert "Café in Lyon closes" in titles and "Ferry fares to Inchmore rise" in titles
    a = answer("How much did TSMC's plant in Kumamoto cost?", settings=fresh_settings)
    assert "8.6 billion" in a.text and a.citations[0].article_id == "plant.pdf"
    a = answer("By how much did ferry fares to Inchmore rise?", settings=fresh_settings)
    assert "4 per cent" in a.text and a.citations[0].article_id == "ferry.docx"


def test_an_export_file_becomes_one_article_per_story_with_its_own_headline_date_and_source(tmp_path):
    (tmp_path / "lexis.txt").write_text(LEXIS_EXPORT, encoding="utf-8")
    articles, problems = load_file(tmp_path / "lexis.txt", tmp_path)
    assert not problems
    assert [(a.id, a.title, a.source, a.published_at) for a in articles] == [
        (
            "lexis.txt#1",
            "Harbour bridge in Portvale reopens after repairs",
            "The Portvale Courier",
            "2025-03-03",
        ),
        ("lexis.txt#2", "Ardmore mill closes after 90 years", "Valley Post", "2025-04-09"),
    ]
    assert (
        articles[0].body.startswith("The Harbour Bridge in Portvale reopened")
        and "Copyright" not in articles[0].body
    )
    write_docx(tmp_path / "factiva.docx", FACTIVA_PARAGRAPHS)
    articles, problems = load_file(tmp_path / "factiva.docx", tmp_path)
    assert [(a.title, a.source, a.published_at) for a in articles] == [
        ("Saltmere dock strike ends with pay deal", "Coastal Times", "2025-05-06"),
        ("Kessock rail line opens to passengers", "Highland Wire", "2025-07-01"),
    ]
    assert "6 per cent" in articles[0].body and "CSTTIM" not in articles[0].body


def test_an_export_answers_from_the_right_story(fresh_settings):
    (fresh_settings.corpus_dir / "lexis.txt").write_text(LEXIS_EXPORT, encoding="utf-8")
    ingest(settings=fresh_settings)
    a = answer("How many workers did the Ardmore mill have?", settings=fresh_settings)
    assert (
        "140" in a.text
        and a.citations[0].article_id == "lexis.txt#2"
        and a.citations[0].source == "Valley Post"
    )


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("scan.pdf", pdf_bytes([[]]), "no text layer"),
        ("locked.pdf", encrypted_pdf_bytes(["Secret plans"], "hunter2"), "password-protected"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj garbage", "not a readable PDF"),
        ("broken.docx", b"PK\x03\x04 this is not a zip archive", "not a readable Word"),
        ("fake.rtf", b"Just text pretending to be RTF", "not an RTF file"),
    ],
)
def test_a_bad_document_is_reported_with_its_reason_and_the_rest_still_indexes(
    fresh_settings, name, content, reason
):
    corpus = fresh_settings.corpus_dir
    write_docx(
        corpus / "good.docx", ["Ferry fares to Inchmore rise", "Ferry fares to Inchmore rose by 4 per cent."]
    )
    ingest(settings=fresh_settings)
    (corpus / name).write_bytes(content)
    report = ingest(settings=fresh_settings)
    assert [p.path.rsplit("/", 1)[-1] for p in report.problems] == [name]
    assert reason in report.problems[0].reason
    assert report.indexed == ["good.docx"]  # nothing already indexed is lost


def test_rtf_in_another_code_page_keeps_its_letters(tmp_path):
    (tmp_path / "moscow.rtf").write_bytes(rtf_bytes("Завод в Москве открылся", "Новый завод в Москве открылся в понедельник."
                                                    , codepage=1251))  # fmt: skip
    articles, problems = load_file(tmp_path / "moscow.rtf", tmp_path)
    assert (
        not problems and articles[0].title == "Завод в Москве открылся" and "понедельник" in articles[0].body
    )

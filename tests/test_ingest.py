"""Tests of pipeline.lib.ingest / pipeline.lib.formats: every bad-input case is built in tmp_path
and its exact outcome (documents, rejections, warnings) is asserted."""
from __future__ import annotations

import hashlib
import io
import json
import os
import random
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path

import pytest

from pipeline.lib import formats
from pipeline.lib.ingest import (
    DEFAULT_MAX_FILE_BYTES,
    IngestResult,
    read_documents,
    scan_input,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TODAY = date(2024, 1, 1)

ARTICLE = (
    "Four soldiers killed in overnight strikes\n"
    "Four Armenian servicemen were killed after Azerbaijan carried out strikes along the tense "
    "contact line in the early hours of Wednesday morning, officials in the breakaway region said.\n"
    "In a statement, the defence ministry said the strikes hit positions near the village and that "
    "a further soldier was wounded in the attack. Azerbaijan denied the claims and accused Armenian "
    "forces of firing first, describing its action as a response to a provocation."
)

FRENCH = (
    "Quatre soldats tués lors de frappes nocturnes\n"
    "Le ministère de la Défense a annoncé mercredi que quatre soldats avaient été tués lors de "
    "frappes menées pendant la nuit près de la ligne de contact. Les autorités ont dénoncé une "
    "provocation et appelé la communauté internationale à réagir rapidement."
)


def article(title: str) -> str:
    return title + "\n" + ARTICLE.split("\n", 1)[1]


def write(root: Path, rel: str, content: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def read(root: Path, **kw) -> IngestResult:
    kw.setdefault("today", TODAY)
    return read_documents(root, **kw)


def docs_by_id(res: IngestResult) -> dict:
    return {d.doc_id: d for d in res.documents}


def rejections(res: IngestResult) -> dict:
    return {(r.source_file, r.record_no): r.reason for r in res.rejected}


# --------------------------------------------------------------------------- seeds


def test_seeds_five_documents_with_manifest_metadata():
    res = read_documents(SEEDS)
    assert res.rejected == []
    assert res.warnings == []
    assert len(res.documents) == 5
    expected_dates = {
        "000_3ca4b6a0a1409ff9": date(2023, 6, 28),
        "001_030847c6a724c51f": date(2023, 6, 28),
        "002_8dfa58314232143d": date(2023, 5, 1),
        "003_f0582899da0bf64d": date(2023, 6, 29),
        "004_31d1774669c0c090": date(2022, 7, 16),
    }
    docs = docs_by_id(res)
    assert set(docs) == set(expected_dates)
    for doc_id, doc in docs.items():
        raw = (SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8")
        first_line = next(line.strip() for line in raw.splitlines() if line.strip())
        assert doc.title == first_line
        assert doc.text.split("\n", 1)[0] == first_line
        assert doc.source_file == f"{doc_id}.txt"
        assert doc.record_no is None
        assert doc.published_date == expected_dates[doc_id]
        assert doc.published_date_basis == "manifest"
        assert doc.language == "en"
        assert doc.url is None
        assert doc.content_hash == hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
        assert doc.file_hash == hashlib.sha256((SEEDS / doc.source_file).read_bytes()).hexdigest()
    assert docs["000_3ca4b6a0a1409ff9"].outlet == "Politico Europe"
    assert [docs[k].outlet for k in sorted(docs)][1:] == [None] * 4


def test_scan_input_seeds_hashes_and_skips_manifest():
    infos = scan_input(SEEDS)
    assert len(infos) == 5
    assert [i.rel for i in infos] == sorted(p.name for p in SEEDS.glob("*.txt"))
    for info in infos:
        data = (SEEDS / info.rel).read_bytes()
        assert info.sha256 == hashlib.sha256(data).hexdigest()
        assert info.size == len(data)
        assert info.problem is None
        assert info.mtime > 0


# --------------------------------------------------------------------------- plain formats


def test_txt_and_md_titles_and_text(tmp_path):
    write(tmp_path, "plain.txt", "\n\n  " + ARTICLE + "\n\n")
    write(tmp_path, "notes.md", "# " + ARTICLE + "\n\n## Background ##\nMore context here.")
    write(tmp_path, "nohash.md", ARTICLE)
    write(tmp_path, "LOUD.TXT", ARTICLE)
    write(tmp_path, "longform.markdown", "#Strikes on the border\n" + ARTICLE)
    res = read(tmp_path)
    assert res.rejected == [] and res.warnings == []
    docs = docs_by_id(res)
    assert set(docs) == {"plain", "notes", "nohash", "LOUD", "longform"}
    title = "Four soldiers killed in overnight strikes"
    assert docs["plain"].title == title
    assert docs["plain"].text == ARTICLE  # leading/trailing blank lines and spaces removed
    assert docs["notes"].title == title
    assert docs["notes"].text.startswith(title + "\n")
    assert "\nBackground\nMore context here." in docs["notes"].text
    assert "#" not in docs["notes"].text
    assert docs["nohash"].title == title
    assert docs["LOUD"].title == title
    assert docs["longform"].title == "Strikes on the border"
    for d in docs.values():
        assert d.published_date is None and d.published_date_basis is None
        assert d.outlet is None and d.url is None and d.record_no is None


def test_first_line_longer_than_title_limit_gives_no_title(tmp_path):
    write(tmp_path, "a.txt", "word " * 200 + "\n" + ARTICLE)
    (doc,) = read(tmp_path).documents
    assert doc.title is None


# --------------------------------------------------------------------------- encodings & normalisation


def test_encodings_decode_to_the_same_text(tmp_path):
    text = ARTICLE + "\nThe café owner, a naïve witness, said “we heard explosions” à minuit."
    write(tmp_path, "utf8.txt", text.encode("utf-8"))
    write(tmp_path, "utf8bom.txt", text.encode("utf-8-sig"))
    write(tmp_path, "utf16le.txt", text.encode("utf-16"))  # with BOM
    write(tmp_path, "utf16be.txt", b"\xfe\xff" + text.encode("utf-16-be"))
    write(tmp_path, "cp1252.txt", text.encode("cp1252"))
    latin = ARTICLE + "\nThe café owner, a naïve witness, said we heard explosions à minuit, déjà vu."
    write(tmp_path, "latin1.txt", latin.encode("latin-1"))
    res = read(tmp_path)
    assert res.rejected == [] and res.warnings == []
    docs = docs_by_id(res)
    for name in ("utf8", "utf8bom", "utf16le", "utf16be", "cp1252"):
        assert docs[name].text == text, name
        assert docs[name].content_hash == docs["utf8"].content_hash
    assert docs["latin1"].text == latin
    assert len({d.file_hash for d in docs.values()}) == 6


def test_utf16_without_bom_is_detected():
    text, enc = formats.decode_bytes(ARTICLE.encode("utf-16-le"))
    assert enc == "utf-16-le" and text == ARTICLE


def test_newlines_control_characters_and_nfc(tmp_path):
    raw = (
        "Strikes\x07 near the border\r\n"
        "Four soldiers\x1b were killed\x00 in the cafe\u0301 district.\rThe\x7f army\x85said\u2028it\x0c"
        "responded.\tTabs stay.\ufeff\x9b"
    ) + "\n" + ARTICLE
    write(tmp_path, "ctrl.txt", raw)
    (doc,) = read(tmp_path).documents
    assert doc.text.startswith(
        "Strikes near the border\nFour soldiers were killed in the café district.\n"
        "The army\nsaid\nit\nresponded.\tTabs stay.\n"
    )
    assert doc.title == "Strikes near the border"
    assert all(ch in "\n\t" or ord(ch) >= 32 for ch in doc.text)
    assert "\x7f" not in doc.text and "\x9b" not in doc.text and "\ufeff" not in doc.text


def test_normalise_text_unit():
    assert formats.normalise_text("a\r\nb\rc  \n\n") == "a\nb\nc"
    assert formats.normalise_text("e\u0301") == "é"
    assert formats.normalise_text("x\ud800y\x01z") == "xyz"


# --------------------------------------------------------------------------- bad input


def test_empty_whitespace_and_control_only_files(tmp_path):
    write(tmp_path, "empty.txt", b"")
    write(tmp_path, "blank.txt", "   \n\t\n  \r\n")
    write(tmp_path, "ctrl.md", "\x07\x07\n")
    write(tmp_path, "numbers.txt", "1234 5678\n--- 42 ---\n")
    write(tmp_path, "good.txt", ARTICLE)
    res = read(tmp_path)
    assert [d.doc_id for d in res.documents] == ["good"]
    assert rejections(res) == {
        ("blank.txt", None): "the file contains only whitespace",
        ("ctrl.md", None): "the file contains only whitespace and control characters",
        ("empty.txt", None): "empty file (0 bytes)",
        ("numbers.txt", None): "the text contains no letters (numbers/symbols only)",
    }


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("article.txt", ARTICLE)
    return buf.getvalue()


def test_binary_content_under_text_extensions(tmp_path):
    rnd = random.Random(0)
    write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n" + rnd.randbytes(2000))
    write(tmp_path, "archive.md", _zip_bytes())
    write(tmp_path, "pdf.html", b"%PDF-1.7\n" + rnd.randbytes(500))
    write(tmp_path, "random.txt", rnd.randbytes(4096))
    write(tmp_path, "nuls.jsonl", b'{"text": "a"}\x00\x00\x00\x00' * 50)
    write(tmp_path, "highbytes.csv", bytes(rnd.randrange(0x80, 0x100) for _ in range(4000)))
    write(tmp_path, "good.txt", ARTICLE)
    res = read(tmp_path)
    assert [d.doc_id for d in res.documents] == ["good"]
    rej = rejections(res)
    assert set(rej) == {(n, None) for n in ("image.txt", "archive.md", "pdf.html", "random.txt",
                                             "nuls.jsonl", "highbytes.csv")}
    assert rej[("image.txt", None)] == "binary content: looks like a PNG image, not text"
    assert "looks like a ZIP archive" in rej[("archive.md", None)]
    assert "looks like a PDF document" in rej[("pdf.html", None)]
    assert rej[("random.txt", None)].startswith("binary content:") and "control bytes" in rej[("random.txt", None)]
    assert "NUL bytes" in rej[("nuls.jsonl", None)]
    assert "could not detect a text encoding" in rej[("highbytes.csv", None)]


def test_huge_file_rejected_before_reading(tmp_path):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as fh:  # sparse: 50 MB on paper, nothing on disk
        fh.truncate(50 * 1024 * 1024)
    write(tmp_path, "good.txt", ARTICLE)
    read(tmp_path)  # warm-up: loads the language model (~10 MB of arrays) outside the measurement
    tracemalloc.start()
    try:
        res = read(tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # the 50 MB were never read into memory (the language model's scoring needs ~10 MB of temporaries)
    assert peak < 20 * 1024 * 1024
    assert DEFAULT_MAX_FILE_BYTES == 10 * 1024 * 1024
    assert [d.doc_id for d in res.documents] == ["good"]
    (rej,) = res.rejected
    assert rej.source_file == "huge.txt" and rej.record_no is None
    assert rej.reason.startswith("file is 50.0 MB (52428800 bytes), above the 10.0 MB size limit")
    assert "max_file_bytes=10485760" in rej.reason


def test_max_file_size_is_configurable(tmp_path):
    write(tmp_path, "a.txt", ARTICLE)
    res = read(tmp_path, max_file_bytes=100)
    (rej,) = res.rejected
    assert f"({len(ARTICLE.encode())} bytes), above the 100 bytes size limit" in rej.reason
    assert read(tmp_path, max_file_bytes=10_000).documents[0].doc_id == "a"


HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Four soldiers killed in border clash | Example News</title>
<meta property="og:title" content="Four soldiers killed in border clash">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2023-06-28T08:30:00Z">
<link rel="canonical" href="https://news.example.com/2023/06/28/border-clash">
<style>body { color: red; } .x::after { content: "STYLE_MARKER"; }</style>
<script>var tracking = "SCRIPT_MARKER"; document.write("SCRIPT_MARKER");</script>
</head><body>
<div id="cookie-banner" class="cookie-consent">We use cookies. COOKIE_MARKER Accept all cookies.</div>
<nav><ul><li><a href="/">Home NAV_MARKER</a></li><li><a href="/world">World</a></li></ul></nav>
<article>
<h1>Four soldiers killed in border clash</h1>
<p>YEREVAN — Four Armenian servicemen were killed after Azerbaijan carried out strikes along the
contact line in the early hours of Wednesday morning, officials in the breakaway region said.</p>
<p>In a statement, the defence ministry said the strikes hit positions near the village of
Martakert and that a further soldier was wounded in the attack.</p>
<script>console.log("INLINE_SCRIPT_MARKER")</script>
<p>Azerbaijan's defence ministry denied the claims and accused Armenian forces of firing first,
describing its action as a response to provocation.</p>
</article>
<footer>Copyright 2023 Example News. FOOTER_MARKER All rights reserved.</footer>
</body></html>
"""


def test_html_scripts_nav_cookies_dropped_and_metadata_read(tmp_path):
    write(tmp_path, "page.html", HTML)
    write(tmp_path, "legacy.htm", HTML.replace('charset="utf-8"', 'charset="windows-1252"')
          .replace("YEREVAN —", "YEREVAN, café —").encode("cp1252"))
    write(tmp_path, "scripts_only.html", "<html><head><script>alert('x')</script></head><body>"
          "<script>document.write('x')</script><nav><a href='/'>Home</a></nav></body></html>")
    write(tmp_path, "boilerplate.html", "<html class='cookie-consent-pending'><body><nav><ul><li>"
          "<a href='/'>Home</a></li><li><a href='/w'>World news</a></li></ul></nav>"
          "<div id='CookieBanner'>We use cookies</div><footer>Contact us</footer></body></html>")
    res = read(tmp_path)
    docs = docs_by_id(res)
    assert set(docs) == {"page", "legacy"}
    doc = docs["page"]
    assert doc.title == "Four soldiers killed in border clash"
    assert "Four Armenian servicemen were killed" in doc.text
    assert "describing its action as a response to provocation." in doc.text
    for marker in ("SCRIPT_MARKER", "STYLE_MARKER", "COOKIE_MARKER", "NAV_MARKER", "FOOTER_MARKER", "<p>"):
        assert marker not in doc.text
    assert doc.published_date == date(2023, 6, 28)
    assert doc.published_date_basis == "record"
    assert doc.url == "https://news.example.com/2023/06/28/border-clash"
    assert doc.outlet == "Example News"
    assert doc.language == "en"
    assert "YEREVAN, café —" in docs["legacy"].text
    no_text = "no article text found in the HTML page (after removing scripts, styles, navigation and boilerplate)"
    assert rejections(res) == {("scripts_only.html", None): no_text, ("boilerplate.html", None): no_text}
    assert res.warnings == []


def test_manifest_wins_over_html_metadata_with_warnings(tmp_path):
    write(tmp_path, "page.html", HTML)
    write(tmp_path, "manifest.csv", "file,published_date,outlet\npage.html,2023-06-29,Manifest Outlet\n")
    res = read(tmp_path)
    (doc,) = res.documents
    assert doc.published_date == date(2023, 6, 29) and doc.published_date_basis == "manifest"
    assert doc.outlet == "Manifest Outlet"
    assert doc.url == "https://news.example.com/2023/06/28/border-clash"
    assert res.warnings == [
        "page: published date 2023-06-28 in the file differs from the manifest (2023-06-29); using the manifest",
        "page: outlet 'Example News' in the file differs from the manifest ('Manifest Outlet'); using the manifest",
    ]


# --------------------------------------------------------------------------- record formats


def test_jsonl_malformed_line_rejected_alone(tmp_path):
    lines = [
        json.dumps({"text": article("First report")}),
        '{"text": "broken json", ',
        json.dumps({"text": article("Second report"), "title": "Second report", "url": "https://e.x/2",
                    "published": "2023-06-28T23:30:00-05:00", "outlet": "Wire"}),
        "[1, 2]",
        json.dumps({"title": "no text here"}),
        "",
        json.dumps({"text": "   "}),
        json.dumps({"body": article("Third report"), "published": "not a date"}),
    ]
    write(tmp_path, "feeds/news.jsonl", "\n".join(lines) + "\n")
    res = read(tmp_path)
    docs = docs_by_id(res)
    assert list(docs) == ["feeds/news:1", "feeds/news:3", "feeds/news:8"]
    assert [d.record_no for d in res.documents] == [1, 3, 8]
    assert all(d.source_file == "feeds/news.jsonl" for d in res.documents)
    assert docs["feeds/news:1"].title is None
    second = docs["feeds/news:3"]
    assert (second.title, second.url, second.outlet) == ("Second report", "https://e.x/2", "Wire")
    assert second.published_date == date(2023, 6, 28) and second.published_date_basis == "record"
    assert docs["feeds/news:8"].published_date is None and docs["feeds/news:8"].published_date_basis is None
    rej = rejections(res)
    assert set(rej) == {("feeds/news.jsonl", n) for n in (2, 4, 5, 7)}
    assert rej[("feeds/news.jsonl", 2)].startswith("line 2: invalid JSON (")
    assert rej[("feeds/news.jsonl", 4)] == "line 4: expected a JSON object, got an array"
    assert rej[("feeds/news.jsonl", 5)] == "line 5: no text field (expected one of: text, body, content; found: title)"
    assert rej[("feeds/news.jsonl", 7)] == "line 7: 'text' is empty"
    assert res.warnings == ["feeds/news:8: published value 'not a date' is not a recognised date; treated as unknown"]


def test_json_object_and_array(tmp_path):
    write(tmp_path, "one.json", json.dumps({"text": ARTICLE, "headline": "Headline", "link": "https://e.x/1",
                                            "date": "Wed, 28 Jun 2023 10:00:00 GMT",
                                            "source": {"id": "x", "name": "Example Wire"}}))
    write(tmp_path, "many.json", json.dumps([
        {"content": article("Alpha"), "published_date": "28 June 2023"},
        "not an object",
        {"text": article("Gamma"), "published": "June 29, 2023"},
        {"text": article("Delta"), "published": "2999-01-01"},
    ]))
    write(tmp_path, "broken.json", '{"text": "unterminated')
    write(tmp_path, "scalar.json", "42")
    write(tmp_path, "emptylist.json", "[]")
    write(tmp_path, "surrogate.json", json.dumps({"text": ARTICLE + " \ud800 end."}))
    res = read(tmp_path)
    docs = docs_by_id(res)
    assert set(docs) == {"one:1", "many:1", "many:3", "many:4", "surrogate:1"}
    one = docs["one:1"]
    assert (one.title, one.url, one.outlet, one.published_date, one.record_no) == (
        "Headline", "https://e.x/1", "Example Wire", date(2023, 6, 28), 1)
    assert docs["many:1"].published_date == date(2023, 6, 28)
    assert docs["many:3"].published_date == date(2023, 6, 29)
    assert docs["many:4"].published_date is None
    assert docs["surrogate:1"].text.endswith("provocation.  end.")
    docs["surrogate:1"].text.encode("utf-8")  # no lone surrogate left
    rej = rejections(res)
    assert rej == {
        ("many.json", 2): "item 2: expected a JSON object, got a string",
        ("broken.json", None): rej[("broken.json", None)],
        ("scalar.json", None): "expected a JSON object or an array of objects, got a number",
        ("emptylist.json", None): "no records found in the file",
    }
    assert rej[("broken.json", None)].startswith("invalid JSON (Unterminated string")
    assert res.warnings == [
        "many:4: published date 2999-01-01 is in the future (today is 2024-01-01); treated as unknown"
    ]


def test_csv_text_column_variants(tmp_path):
    body = article("Csv report").replace("\n", " ")
    write(tmp_path, "semi.csv", "\ufeffTitle;Body;Published;Outlet;Extra\n"
          f'"Csv report";"{body}\nsecond line";2023-06-28;Wire;ignored\n'
          ";;;;\n"
          ';"";2023-06-28;Wire;x\n'
          f'Other;"{body}";;;\n')
    write(tmp_path, "notext.csv", "title,summary\nA,B\n")
    write(tmp_path, "headeronly.csv", "text,title\n")
    res = read(tmp_path)
    docs = docs_by_id(res)
    assert set(docs) == {"semi:1", "semi:3"}
    first = docs["semi:1"]
    assert first.title == "Csv report" and first.outlet == "Wire"
    assert first.published_date == date(2023, 6, 28) and first.published_date_basis == "record"
    assert first.text.endswith("\nsecond line")
    assert docs["semi:3"].title == "Other" and docs["semi:3"].published_date is None
    assert rejections(res) == {
        ("semi.csv", 2): "row 2 (line 5): 'body' is empty",
        ("notext.csv", None): "CSV has no text column (expected one of: text, body, content; found: title, summary)",
        ("headeronly.csv", None): "no records found in the file",
    }


# --------------------------------------------------------------------------- names and paths


def test_same_file_name_in_two_subfolders(tmp_path):
    write(tmp_path, "a/report.txt", article("Report A"))
    write(tmp_path, "b/report.txt", article("Report B"))
    write(tmp_path, "b/c/report.jsonl", json.dumps({"text": ARTICLE}))
    res = read(tmp_path)
    assert [d.doc_id for d in res.documents] == ["a/report", "b/c/report:1", "b/report"]
    assert [d.source_file for d in res.documents] == ["a/report.txt", "b/c/report.jsonl", "b/report.txt"]
    assert res.rejected == [] and res.warnings == []


def test_same_stem_in_one_folder_keeps_extension(tmp_path):
    write(tmp_path, "x/a.txt", article("Text version"))
    write(tmp_path, "x/a.md", article("Markdown version"))
    res = read(tmp_path)
    assert sorted(d.doc_id for d in res.documents) == ["x/a.md", "x/a.txt"]
    assert res.warnings == ["'x/a.md' and 'x/a.txt' share the name 'a'; their doc_ids keep the file extension"]
    # the same ids when the files are read one at a time (sensor-driven batches)
    assert [d.doc_id for d in read(tmp_path, files=["x/a.txt"]).documents] == ["x/a.txt"]


def test_sql_like_file_name_is_read_normally(tmp_path):
    name = "x'; DROP TABLE documents; --.txt"
    write(tmp_path, name, ARTICLE)
    write(tmp_path, "manifest.csv", f'file,published_date\n"{name}",2023-06-28\n')
    res = read(tmp_path)
    (doc,) = res.documents
    assert doc.doc_id == "x'; DROP TABLE documents; --"
    assert doc.source_file == name
    assert doc.published_date == date(2023, 6, 28)
    assert res.rejected == [] and res.warnings == []
    assert read(tmp_path, files=[name]).documents[0].doc_id == doc.doc_id


def test_unsupported_extensions_rejected(tmp_path):
    write(tmp_path, "photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    write(tmp_path, "data.xyz", "some text")
    write(tmp_path, "README", "no extension")
    write(tmp_path, "good.txt", ARTICLE)
    res = read(tmp_path)
    assert [d.doc_id for d in res.documents] == ["good"]
    rej = rejections(res)
    assert set(rej) == {("photo.png", None), ("data.xyz", None), ("README", None)}
    assert rej[("photo.png", None)].startswith("unsupported file type .png (supported: .csv, .htm, .html, .json,")
    assert rej[("data.xyz", None)].startswith("unsupported file type .xyz")
    assert rej[("README", None)].startswith("unsupported file type (no extension)")
    assert res.warnings == []


def test_symbolic_links(tmp_path):
    root, outside = tmp_path / "in", tmp_path / "outside"
    write(outside, "secret.txt", ARTICLE)
    write(outside, "dir/more.txt", ARTICLE)
    write(root, "real/inside.txt", article("Inside the folder"))
    os.symlink(outside / "secret.txt", root / "escape.txt")
    os.symlink("../outside/secret.txt", root / "relative_escape.txt")
    os.symlink(outside / "dir", root / "escape_dir")
    os.symlink(root / "real" / "inside.txt", root / "alias.txt")
    os.symlink(root / "real", root / "alias_dir")
    os.symlink(root / "nowhere.txt", root / "broken.txt")
    res = read(root)
    docs = docs_by_id(res)
    assert set(docs) == {"alias", "real/inside"}
    assert docs["alias"].text == docs["real/inside"].text
    rej = rejections(res)
    assert set(rej) == {("escape.txt", None), ("relative_escape.txt", None), ("escape_dir", None),
                        ("alias_dir", None), ("broken.txt", None)}
    for name in ("escape.txt", "relative_escape.txt", "escape_dir"):
        assert rej[(name, None)].startswith("symbolic link points outside the input folder (-> ")
        assert "refused" in rej[(name, None)]
    assert rej[("broken.txt", None)].startswith("broken symbolic link")
    assert rej[("alias_dir", None)].startswith("symbolic link to a folder: not followed")
    infos = {i.rel: i for i in scan_input(root)}
    assert infos["escape.txt"].sha256 == "" and infos["escape.txt"].problem
    assert infos["alias.txt"].sha256 == hashlib.sha256((root / "real/inside.txt").read_bytes()).hexdigest()


def test_fifo_and_undecodable_file_name(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would block forever
    bad = os.fsencode(tmp_path) + b"/bad\xff.txt"
    with open(bad, "wb") as fh:
        fh.write(ARTICLE.encode())
    write(tmp_path, "good.txt", ARTICLE)
    res = read(tmp_path)
    assert [d.doc_id for d in res.documents] == ["good"]
    assert rejections(res) == {
        ("bad\ufffd.txt", None): "the file name is not valid UTF-8; rename the file",
        ("pipe.txt", None): "not a regular file (FIFO, socket or device); refused",
    }
    infos = {i.rel: i for i in scan_input(tmp_path)}
    assert infos["bad\ufffd.txt"].problem and infos["pipe.txt"].problem
    # the rel that scan_input shows leads back to the same file
    again = read(tmp_path, files=["bad\ufffd.txt"])
    assert rejections(again) == {("bad\ufffd.txt", None): "the file name is not valid UTF-8; rename the file"}


def test_scan_input_recursive_sorted_skips_hidden_and_root_manifest(tmp_path):
    write(tmp_path, "b.txt", "bbb")
    write(tmp_path, "a/z.txt", "zzz")
    write(tmp_path, "manifest.csv", "file,published_date\n")
    write(tmp_path, "a/manifest.csv", "text\nhello\n")
    write(tmp_path, ".DS_Store", b"\x00\x01")
    write(tmp_path, ".git/config", "x")
    write(tmp_path, "c.png", b"\x89PNG")
    infos = scan_input(tmp_path)
    assert [i.rel for i in infos] == ["a/manifest.csv", "a/z.txt", "b.txt", "c.png"]
    assert infos[1].sha256 == hashlib.sha256(b"zzz").hexdigest() and infos[1].size == 3
    assert infos[1].path == (tmp_path / "a/z.txt").resolve()
    with pytest.raises(NotADirectoryError):
        scan_input(tmp_path / "missing")


def test_files_subset(tmp_path):
    write(tmp_path, "a.txt", article("Alpha"))
    write(tmp_path, "sub/b.txt", article("Beta"))
    write(tmp_path, "c.txt", article("Gamma"))
    res = read(tmp_path, files=["sub/b.txt", "./a.txt", "a.txt", "gone.txt", "../secret.txt", "manifest.csv"])
    assert [d.doc_id for d in res.documents] == ["sub/b", "a"]
    assert rejections(res) == {
        ("gone.txt", None): "file not found in the input folder",
        ("../secret.txt", None): "the path is outside the input folder; refused",
    }
    assert read(tmp_path, files=[]).documents == []


# --------------------------------------------------------------------------- manifest


def test_manifest_warnings_and_metadata(tmp_path):
    for name in ("a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "sub/f.txt"):
        write(tmp_path, name, article(name))
    write(tmp_path, "not_listed.txt", ARTICLE)
    manifest = (
        "\ufefffile,published_date,outlet,url,date_basis\r\n"          # Excel: BOM + CRLF
        "a.txt,2023-06-28,Politico Europe,https://e.x/a,free text\r\n"  # line 2
        "b.txt,28/06/2023,Wire,,\r\n"                                   # line 3 malformed
        "c.txt,2024-06-01,,,\r\n"                                       # line 4 future
        "gone.txt,2023-01-01,,,\r\n"                                    # line 5 missing file
        "../outside.txt,2023-01-01,,,\r\n"                              # line 6 outside
        "a.txt,2020-01-01,,,\r\n"                                       # line 7 duplicate
        "d.txt,,Only Outlet,,\r\n"                                      # line 8 no date
        ".\\sub\\f.txt,2023-02-03T10:00:00,,,\r\n"                      # line 9 windows path
    )
    write(tmp_path, "manifest.csv", manifest)
    res = read(tmp_path)
    assert res.rejected == []
    docs = docs_by_id(res)
    assert (docs["a"].published_date, docs["a"].published_date_basis, docs["a"].outlet, docs["a"].url) == (
        date(2023, 6, 28), "manifest", "Politico Europe", "https://e.x/a")
    assert (docs["b"].published_date, docs["b"].published_date_basis, docs["b"].outlet) == (None, None, "Wire")
    assert (docs["c"].published_date, docs["c"].published_date_basis) == (None, None)
    assert (docs["d"].published_date, docs["d"].outlet) == (None, "Only Outlet")
    assert (docs["e"].published_date, docs["e"].outlet) == (None, None)
    assert docs["not_listed"].published_date is None and docs["not_listed"].published_date_basis is None
    assert docs["sub/f"].published_date == date(2023, 2, 3)
    assert res.warnings == [
        "manifest.csv line 3 ('b.txt'): published_date '28/06/2023' is not a valid date (expected "
        "YYYY-MM-DD); date treated as unknown",
        "manifest.csv line 4 ('c.txt'): published_date 2024-06-01 is in the future (today is 2024-01-01); "
        "date treated as unknown",
        "manifest.csv line 7: 'a.txt' is already listed on line 2; this row is ignored",
        "manifest.csv line 5: file 'gone.txt' not found in the input folder",
        "manifest.csv line 6: '../outside.txt' is outside the input folder; row ignored",
    ]


def test_manifest_future_date_against_real_today(tmp_path):
    write(tmp_path, "a.txt", ARTICLE)
    write(tmp_path, "manifest.csv", "file,published_date\na.txt,2999-12-31\n")
    res = read_documents(tmp_path)
    assert res.documents[0].published_date is None
    assert len(res.warnings) == 1 and "is in the future" in res.warnings[0]


def test_manifest_wins_over_record_metadata(tmp_path):
    write(tmp_path, "news.jsonl", "\n".join(json.dumps(r) for r in [
        {"text": article("One"), "published": "2023-01-01", "outlet": "Record Outlet", "url": "https://r/1"},
        {"text": article("Two"), "published": "2023-02-02", "outlet": "Manifest Outlet"},
    ]))
    write(tmp_path, "manifest.csv", "file,published_date,outlet\nnews.jsonl,2023-02-02,Manifest Outlet\n")
    res = read(tmp_path)
    docs = docs_by_id(res)
    assert set(docs) == {"news:1", "news:2"}
    for d in docs.values():
        assert (d.published_date, d.published_date_basis, d.outlet) == (date(2023, 2, 2), "manifest", "Manifest Outlet")
    assert docs["news:1"].url == "https://r/1"
    assert res.warnings == [
        "news:1: published date 2023-01-01 in the file differs from the manifest (2023-02-02); using the manifest",
        "news:1: outlet 'Record Outlet' in the file differs from the manifest ('Manifest Outlet'); using the manifest",
    ]


def test_manifest_without_file_column_is_ignored(tmp_path):
    write(tmp_path, "a.txt", ARTICLE)
    write(tmp_path, "manifest.csv", "name,published_date\na.txt,2023-01-01\n")
    res = read(tmp_path)
    assert res.documents[0].published_date is None
    assert res.warnings == ["manifest.csv: no 'file' column (found: name, published_date); manifest ignored"]


# --------------------------------------------------------------------------- language


def test_language_detection_and_rejection(tmp_path):
    write(tmp_path, "fr.txt", FRENCH)
    write(tmp_path, "en.txt", ARTICLE)
    write(tmp_path, "short.txt", "Blinken met Mirzoyan and Bayramov.")
    res = read(tmp_path)
    docs = docs_by_id(res)
    assert set(docs) == {"en", "short"}
    assert docs["en"].language == "en"
    assert rejections(res) == {("fr.txt", None): "language 'fr' is not supported (English only)"}
    # a too-short text gets no confident language: accepted with a warning, language recorded
    assert docs["short"].language is not None
    assert len(res.warnings) == 1 and res.warnings[0].startswith("short: language uncertain (py3langid: '")
    # accepted languages are a parameter
    both = read(tmp_path, languages=("en", "fr"))
    assert docs_by_id(both)["fr"].language == "fr" and both.rejected == []
    assert {d.doc_id for d in read(tmp_path, languages=None).documents} == {"en", "fr", "short"}
    assert rejections(read(tmp_path, languages=("fr", "de"))) == {
        ("en.txt", None): "language 'en' is not supported (accepted: de, fr)"}


def test_jsonl_record_language_rejected_alone(tmp_path):
    write(tmp_path, "mix.jsonl", json.dumps({"text": ARTICLE}) + "\n" + json.dumps({"text": FRENCH}) + "\n")
    res = read(tmp_path)
    assert [d.doc_id for d in res.documents] == ["mix:1"]
    assert rejections(res) == {("mix.jsonl", 2): "language 'fr' is not supported (English only)"}


# --------------------------------------------------------------------------- long runs


WORDS = ("the soldiers moved along the road near the village while officers of the army watched "
         "artillery positions across the valley and reported shelling by drones at dawn").split()


def test_twenty_thousand_word_sentence_is_wrapped(tmp_path):
    words = [WORDS[i % len(WORDS)] for i in range(20_000)]
    write(tmp_path, "run.txt", "Endless report\n" + " ".join(words))
    res = read(tmp_path)
    assert res.rejected == [] and res.warnings == []
    (doc,) = res.documents
    assert doc.language == "en"
    assert doc.text.split() == ["Endless", "report"] + words  # no word lost, added or changed
    lines = doc.text.split("\n")
    assert max(len(line.split()) for line in lines) == 150
    assert len(lines) == 1 + 20_000 // 150 + 1
    narrow = read(tmp_path, wrap_words=40).documents[0]
    assert max(len(line.split()) for line in narrow.text.split("\n")) == 40
    assert "\n" not in read(tmp_path, wrap_words=None).documents[0].text.split("\n", 1)[1]


def test_wrap_only_runs_without_punctuation():
    sentence = " ".join(["word"] * 9) + " end."
    text = " ".join([sentence] * 100)  # 1000 words, a full stop every 10
    assert formats.wrap_long_runs(text, 20) == text
    long_run = " ".join(["word"] * 45)
    wrapped = formats.wrap_long_runs(long_run, 20)
    assert [len(line.split()) for line in wrapped.split("\n")] == [20, 20, 5]
    assert formats.wrap_long_runs(" ".join(["w"] * 40), 20) == " ".join(["w"] * 20) + "\n" + " ".join(["w"] * 20)


# --------------------------------------------------------------------------- robustness


def test_unexpected_error_in_one_file_does_not_stop_the_batch(tmp_path, monkeypatch):
    write(tmp_path, "a.txt", ARTICLE)
    write(tmp_path, "b.md", ARTICLE)
    original = formats.parse_plain

    def flaky(text, markdown=False):
        if markdown:
            raise RuntimeError("parser exploded")
        return original(text, markdown)

    monkeypatch.setattr(formats, "parse_plain", flaky)
    res = read(tmp_path)
    assert [d.doc_id for d in res.documents] == ["a"]
    assert rejections(res) == {
        ("b.md", None): "unexpected error while reading the file: RuntimeError: parser exploded"
    }


def test_missing_input_folder_raises(tmp_path):
    with pytest.raises(NotADirectoryError, match="does not exist"):
        read_documents(tmp_path / "nope")


def test_lib_does_not_import_dagster():
    import ast

    src = Path(__file__).resolve().parent.parent / "pipeline" / "lib"
    for name in ("ingest.py", "formats.py"):
        tree = ast.parse((src / name).read_text(encoding="utf-8"))
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert imported and not any(m.split(".")[0] == "dagster" for m in imported), name

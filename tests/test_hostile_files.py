"""Hostile files and folders: odd file names, encodings, headers, symlinks and Word files. Each
file that cannot go in is one line naming it, and the rest of the batch goes in."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from assistant.errors import IngestError, QuestionError
from assistant.ingest.clean import clean
from assistant.ingest.load import load_bytes

ARTICLE = (
    "Grain corridor update\nDate: 2025-02-10\nPublisher: Port Watch\n\n"
    "Ukrainian ports near Odesa shipped 4.2 million tonnes of grain in January 2025, the port "
    "authority said. Insurers in London kept war-risk premiums unchanged for the third month.\n"
)
TALKS = (
    "Jeddah talks\nDate: 2025-03-11\nPublisher: Gulf Desk\n\n"
    "The US delegation in Jeddah was led by Secretary of State Marco Rubio, officials said. "
    "Ukraine's team accepted a proposal for a thirty-day ceasefire after eight hours of talks.\n"
)
BRIEFING = Path(sys.executable).parent / "briefing"


def _folder(tmp_path: Path, name: str = "batch") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    return folder


def _one_line(e: IngestError) -> None:
    assert "\n" not in str(e) and "\r" not in str(e), repr(str(e))


# ---- file names -------------------------------------------------------------------------------
def test_a_latin1_file_name_is_ingested_under_a_safe_name_with_the_rest(fake_briefing, tmp_path):
    folder = _folder(tmp_path)
    (folder / "talks.txt").write_text(TALKS)
    latin1 = os.path.join(os.fsencode(folder), b"caf\xe9.txt")
    try:
        with open(latin1, "wb") as f:
            f.write(ARTICLE.encode())
    except OSError:
        pytest.skip("this file system refuses file names that are not UTF-8")

    report = fake_briefing.ingestor.ingest_paths([folder])
    assert report.ok and len(report.added) == 2, report.summary()
    sources = sorted(d.meta.source for d in fake_briefing.index.documents())
    assert sources == [str(folder / "caf\\xe9.txt"), str(folder / "talks.txt")]
    assert all(s.encode("utf-8") for s in sources)  # storable and printable
    again = fake_briefing.ingestor.ingest_paths([folder])  # the same name every time
    assert len(again.unchanged) == 2 and not again.added and not again.replaced
    answer = fake_briefing.ask("How much grain did the ports near Odesa ship in January 2025?")
    assert not answer.refused and answer.citations[0].source == sources[0]


def test_a_newline_in_a_file_name_stays_one_line(fake_briefing, tmp_path):
    folder = _folder(tmp_path)
    (folder / "empty\nfile.txt").write_bytes(b"")
    (folder / "grain\rreport.txt").write_text(ARTICLE)
    report = fake_briefing.ingestor.ingest_paths([folder])
    [e] = report.failed
    _one_line(e)
    assert e.path == str(folder / "empty\\nfile.txt") and e.reason == "the file is empty"
    [doc] = report.added
    assert doc.meta.source == str(folder / "grain\\rreport.txt")


# ---- the same folder twice, symlinks ------------------------------------------------------------
def test_a_folder_given_twice_is_read_once_and_each_failure_reported_once(fake_briefing, tmp_path):
    folder = _folder(tmp_path)
    (folder / "grain.txt").write_text(ARTICLE)
    (folder / "talks.md").write_text(TALKS)
    (folder / "empty.txt").write_bytes(b"")
    same = [folder, folder, Path(f"{folder}/"), folder / ".." / folder.name, folder / "grain.txt"]
    report = fake_briefing.ingestor.ingest_paths([*same, tmp_path / "gone.txt"] * 2)
    assert len(report.added) == 2 and not report.unchanged, report.summary()
    assert sorted((Path(e.path).name, e.reason) for e in report.failed) == [
        ("empty.txt", "the file is empty"),
        ("gone.txt", "no such file or folder"),
    ]


def test_symlink_loops_are_reported_and_never_hang(fake_briefing, tmp_path):
    folder = _folder(tmp_path)
    (folder / "grain.txt").write_text(ARTICLE)
    (folder / "a.txt").symlink_to("b.txt")
    (folder / "b.txt").symlink_to("a.txt")
    (folder / "self.md").symlink_to("self.md")
    sub = folder / "sub"
    sub.mkdir()
    (sub / "talks.txt").write_text(TALKS)
    (sub / "up").symlink_to("..", target_is_directory=True)  # a folder loop
    (sub / "round").symlink_to("round", target_is_directory=True)

    report = fake_briefing.ingestor.ingest_paths([folder])
    assert sorted(Path(d.meta.source).name for d in report.added) == ["grain.txt", "talks.txt"]
    failed = {Path(e.path).name: e.reason for e in report.failed}
    assert failed == {
        "a.txt": "a symlink loop; not followed",
        "b.txt": "a symlink loop; not followed",
        "self.md": "a symlink loop; not followed",
        "round": "a symlink loop; not followed",
    }
    assert not report.unchanged  # sub/up/… was not walked as a second copy of the folder


def test_symlinks_leaving_the_folder_are_not_followed(fake_briefing, tmp_path):
    outside = _folder(tmp_path, "outside")
    (outside / "secret.txt").write_text(TALKS)
    folder = _folder(tmp_path)
    (folder / "grain.txt").write_text(ARTICLE)
    (folder / "alias.txt").symlink_to("grain.txt")  # inside the folder: the same file, once
    (folder / "leak.txt").symlink_to(outside / "secret.txt")
    (folder / "elsewhere").symlink_to(outside, target_is_directory=True)
    (folder / "dangling.txt").symlink_to(tmp_path / "nothing.txt")

    report = fake_briefing.ingestor.ingest_paths([folder])
    assert [d.meta.source for d in report.added] == [str(folder / "grain.txt")]
    assert not report.unchanged
    failed = {Path(e.path).name: e.reason for e in report.failed}
    assert failed == {
        "leak.txt": f"a symlink to a file outside {folder}; not followed",
        "elsewhere": f"a symlink to a folder outside {folder}; not followed",
        "dangling.txt": f"a symlink to a file outside {folder}; not followed",
    }
    stored = fake_briefing.index.collection.get(include=["documents"])["documents"]
    assert stored and not any("Rubio" in text for text in stored)
    # A symlink the user names on the command line is what they asked for: followed.
    named = fake_briefing.ingestor.ingest_paths([folder / "leak.txt"])
    assert [d.meta.source for d in named.added] == [str(folder / "leak.txt")]


# ---- unsupported types and Word files ---------------------------------------------------------
def _docx(
    paragraphs: list[str], title: str = "", author: str = "", created: datetime | None = None
) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Ceasefire talks in Jeddah", 0)
    document.add_heading("What was agreed", 1)
    for p in paragraphs:
        document.add_paragraph(p)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Delegation head"
    table.rows[0].cells[1].text = "Marco Rubio"
    props = document.core_properties
    props.title, props.author = title, author
    if created:
        props.created = created
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_docx_is_ingested_with_its_properties_and_a_corrupt_one_is_one_line(
    fake_briefing, tmp_path
):
    folder = _folder(tmp_path)
    body = [
        "The US delegation in Jeddah was led by Secretary of State Marco Rubio, officials said.",
        "Ukraine's team accepted a proposal for a thirty-day ceasefire after eight hours.",
    ]
    (folder / "talks.docx").write_bytes(
        _docx(body, title="Jeddah talks", author="Gulf Desk", created=datetime(2025, 3, 11, 9))
    )
    (folder / "plain.docx").write_bytes(_docx(body[1:]))  # python-docx's template properties
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip file")
    (folder / "renamed.docx").write_bytes(ARTICLE.encode())

    report = fake_briefing.ingestor.ingest_paths([folder])
    docs = {Path(d.meta.source).name: d for d in report.added}
    talks = docs["talks.docx"]
    assert talks.meta.title == "Jeddah talks" and talks.meta.publisher == "Gulf Desk"
    assert talks.meta.published == date(2025, 3, 11)
    assert "Secretary of State Marco Rubio" in talks.text and "What was agreed" in talks.text
    assert "Delegation head | Marco Rubio" in talks.text
    plain = docs["plain.docx"]  # no core title: the Title-style heading; no made-up metadata
    assert plain.meta.title == "Ceasefire talks in Jeddah"
    assert plain.meta.publisher == "" and plain.meta.published is None
    failed = {Path(e.path).name: e for e in report.failed}
    assert set(failed) == {"broken.docx", "renamed.docx"}
    for e in failed.values():
        _one_line(e)
        assert "Word file" in e.reason
    answer = fake_briefing.ask("Who led the US delegation in Jeddah?")
    assert not answer.refused and "Rubio" in answer.text
    upload = fake_briefing.ingestor.ingest_bytes([("up.docx", _docx(body, title="Upload"))])
    assert [d.meta.title for d in upload.added] == ["Upload"]


def test_a_docx_that_unpacks_to_far_more_than_the_limit_is_refused():
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b" " * 5_000_000)
    with pytest.raises(IngestError, match="unpacks to 5 MB, over the size limit"):
        load_bytes(buf.getvalue(), "bomb.docx", 100_000)


def test_unsupported_files_in_a_folder_are_counted_in_the_summary(fake_briefing, tmp_path):
    folder = _folder(tmp_path)
    (folder / "grain.txt").write_text(ARTICLE)
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "map.PNG").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "sheet.xlsx").write_bytes(b"PK\x03\x04")
    (folder / "NOTES").write_text("to do")
    (folder / ".hidden.xlsx").write_bytes(b"")  # hidden files stay unmentioned
    report = fake_briefing.ingestor.ingest_paths([folder])
    assert report.ok and len(report.added) == 1
    assert report.summary() == (
        "1 added, 0 replaced, 0 unchanged, 0 failed; 1 chunks written; "
        "4 files of unsupported type not read (2 .png, 1 .xlsx, 1 no extension)"
    )
    # Named on its own, an unsupported file is a failure with the list of supported types.
    [e] = fake_briefing.ingestor.ingest_paths([folder / "sheet.xlsx"]).failed
    assert "unsupported file type '.xlsx'" in e.reason and ".docx" in e.reason


# ---- encodings, headers, control characters -----------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_plain_ascii_utf16_without_a_bom_is_decoded(fake_briefing, encoding):
    data = ARTICLE.encode(encoding)
    assert not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    [doc] = fake_briefing.ingestor.ingest_bytes([("grain.txt", data)]).added
    assert "4.2 million tonnes of grain" in doc.text and "\x00" not in doc.text
    assert doc.meta.published == date(2025, 2, 10) and doc.meta.publisher == "Port Watch"


BODY = (
    "The ceasefire talks in Jeddah ended on Tuesday with a joint statement.\n"
    "Both delegations agreed to a thirty-day pause in strikes on energy sites.\n"
)


@pytest.mark.parametrize(
    ("text", "published", "kept"),
    [
        (f"Date: 2025-03-11\n{BODY}", date(2025, 3, 11), "joint statement"),
        (f"Date: 11 March 2025\n\n{BODY}", date(2025, 3, 11), "thirty-day pause"),
        (
            "Date: 11 March 2025, when the ceasefire talks in Jeddah ended with a joint "
            "statement from both delegations.\n",
            None,
            "when the ceasefire talks in Jeddah ended",
        ),
        (
            "Source: officials in Kyiv said the ceasefire talks in Jeddah ended with a statement."
            f"\n{BODY}",
            None,
            "officials in Kyiv said",
        ),
        (f"By the end of March 2025, the talks had stalled.\n{BODY}", None, "had stalled"),
    ],
)
def test_a_file_starting_with_a_header_like_line_keeps_its_body(text, published, kept):
    doc = clean(load_bytes(text.encode(), "memo.txt", 10**6))
    assert kept in doc.text, doc.text
    assert doc.meta.published == published


def test_control_characters_inside_words_are_removed(fake_briefing):
    text = (
        "Delegations meet\nDate: 2025-03-11\n\n"
        "Talks in Sau\x7fdi Ara\x00bia began on Tues\x9bday in Jed\x08dah, "
        "the mini\x1b[1mstry said.\tBoth\x0bsides attended the\x0cmeeting.\n"
    )
    [doc] = fake_briefing.ingestor.ingest_bytes([("controls.txt", text.encode())]).added
    assert "Talks in Saudi Arabia began on Tuesday in Jeddah, the ministry said." in doc.text
    assert "Both sides attended the meeting." in doc.text  # tab, VT and FF are whitespace
    hits = fake_briefing.index.keyword_search("Saudi Jeddah ministry", 3)
    assert hits and hits[0].chunk_id.startswith(doc.meta.doc_id)


# ---- questions that are not valid text -----------------------------------------------------------
def test_a_lone_surrogate_in_a_question_is_the_one_line_question_error(fake_briefing):
    fake_briefing.ingestor.ingest_bytes([("talks.txt", TALKS.encode())])
    for question in ("\ud800 Who led the US delegation?", "Who led the \udcff delegation?"):
        with pytest.raises(QuestionError, match="not valid text") as caught:
            fake_briefing.ask(question)
        assert "\n" not in str(caught.value)
        with pytest.raises(QuestionError):
            list(fake_briefing.stream(question))


def test_a_non_utf8_byte_in_a_cli_question_is_one_line(fake_briefing, monkeypatch, capsys):
    from assistant import cli

    fake_briefing.ingestor.ingest_bytes([("talks.txt", TALKS.encode())])
    monkeypatch.setattr(cli, "_settings", lambda: fake_briefing.settings)
    monkeypatch.setattr(cli, "_briefing", lambda settings: fake_briefing)
    # What Python makes of the byte 0xff in argv (surrogateescape), as `briefing ask $'\xff…'`.
    monkeypatch.setattr(sys, "argv", ["briefing", "ask", os.fsdecode(b"\xff Who led the US?")])
    with pytest.raises(SystemExit) as caught:
        cli.main()
    err = capsys.readouterr().err.strip()
    assert caught.value.code == 2, err
    assert err.startswith("error: The question contains bytes that are not valid text")
    assert len(err.splitlines()) == 1


@pytest.mark.integration
def test_a_non_utf8_byte_in_a_cli_question_is_one_line_from_a_real_shell(tmp_path):
    env = {**os.environ, "BRIEFING_DATA_DIR": str(tmp_path / "data")}
    r = subprocess.run(
        [str(BRIEFING), "ask", b"\xff Who led the US delegation?"],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    err = r.stderr.decode("utf-8", "replace").strip()
    assert r.returncode == 2, (r.stdout, err)
    assert err.startswith("error: The question contains bytes that are not valid text")
    assert len(err.splitlines()) == 1 and "Traceback" not in err

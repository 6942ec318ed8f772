"""`pdf.to_pdf` against a stand-in for LibreOffice that writes each source's bytes as its PDF
and logs how it was started: one start for all the documents, the PDFs back by name, the
failures in Chinese. The real conversions are the slow tests in tests/lib/test_pdf_layout.py."""

import sys
from pathlib import Path
from unittest import mock

import pytest

from baozheng.documents import pdf

STAND_IN = """\
import os, sys
from pathlib import Path

args = sys.argv[1:]
with open(os.environ["BZ_STAND_IN_LOG"], "a") as log:
    log.write(" ".join(args) + "\\n")
outdir = Path(args[args.index("--outdir") + 1])
for source in map(Path, args[args.index("--outdir") + 2 :]):
    if source.suffix not in os.environ.get("BZ_STAND_IN_SKIPS", "").split():
        (outdir / (source.stem + ".pdf")).write_bytes(b"PDF of " + source.read_bytes())
sys.exit(int(os.environ.get("BZ_STAND_IN_EXIT", "0")))
"""


@pytest.fixture
def libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The stand-in made the program `pdf` starts; its log (one line a start) returned."""
    program = tmp_path / "soffice"
    program.write_text(f"#!{sys.executable}\n{STAND_IN}")
    program.chmod(0o755)
    log = tmp_path / "starts.log"
    log.touch()
    monkeypatch.setenv("BZ_STAND_IN_LOG", str(log))
    monkeypatch.setattr(pdf, "soffice", lambda: str(program))
    return log


def starts(log: Path) -> list[list[str]]:
    return [line.split() for line in log.read_text().splitlines()]


def test_several_documents_convert_in_one_start_and_come_back_by_name(libreoffice) -> None:
    documents = {"bulletin.xlsx": b"workbook", "bulletin.docx": b"letter", "附件.DOCX": b"annex"}
    assert pdf.to_pdf(documents) == {
        "bulletin.xlsx": b"PDF of workbook",
        "bulletin.docx": b"PDF of letter",
        "附件.DOCX": b"PDF of annex",
    }
    [args] = starts(libreoffice)
    folder = Path(args[args.index("--outdir") + 1])
    assert f"-env:UserInstallation=file://{folder}/profile" in args  # a private profile
    assert [Path(a).name for a in args[-3:]] == ["0.xlsx", "1.docx", "2.docx"]
    assert not folder.exists()  # the private folder goes with the call


def test_a_word_document_is_the_case_of_one(libreoffice) -> None:
    assert pdf.docx_to_pdf(b"letter") == b"PDF of letter"
    assert len(starts(libreoffice)) == 1


def test_a_document_left_without_its_pdf_fails_the_call_in_chinese(
    libreoffice, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BZ_STAND_IN_SKIPS", ".xlsx")
    with pytest.raises(pdf.PdfUnavailable) as failed:
        pdf.to_pdf({"bulletin.docx": b"letter", "bulletin.xlsx": b"workbook"})
    assert str(failed.value) == "PDF 转换失败，请下载 Word 版"


def test_libreoffice_ending_in_error_fails_the_call_in_chinese(
    libreoffice, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BZ_STAND_IN_EXIT", "1")
    with pytest.raises(pdf.PdfUnavailable) as failed:
        pdf.docx_to_pdf(b"letter")
    assert str(failed.value) == "PDF 转换失败，请下载 Word 版"


def test_without_libreoffice_the_call_says_so_in_chinese() -> None:
    with mock.patch.object(pdf, "soffice", return_value=None):
        with pytest.raises(pdf.PdfUnavailable) as failed:
            pdf.to_pdf({"bulletin.docx": b"letter"})
    assert str(failed.value) == "本机未安装 LibreOffice，无法生成 PDF，请下载 Word 版"


def test_a_name_neither_docx_nor_xlsx_is_refused_before_libreoffice_starts(libreoffice) -> None:
    with pytest.raises(ValueError, match=r"not \['notes.txt', 'report'\]"):
        pdf.to_pdf({"bulletin.docx": b"letter", "notes.txt": b"text", "report": b"?"})
    assert starts(libreoffice) == []


def test_nothing_to_convert_starts_nothing(libreoffice) -> None:
    assert pdf.to_pdf({}) == {}
    assert starts(libreoffice) == []

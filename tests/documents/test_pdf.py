"""`pdf.to_pdf`: what it refuses before LibreOffice starts, and the Chinese answer when it
cannot convert. A document LibreOffice cannot load gets the answer a run that outlasts its
time gets, and is not converted here, where it would cost a LibreOffice start of its own.
The conversions themselves (several documents in one start, back by name) are the slow
tests in tests/lib/test_pdf_layout.py."""

import subprocess
from unittest import mock

import pytest

from baozheng.documents import pdf


def test_without_libreoffice_the_call_says_so_in_chinese() -> None:
    with mock.patch.object(pdf, "soffice", return_value=None):
        with pytest.raises(pdf.PdfUnavailable) as failed:
            pdf.to_pdf({"bulletin.docx": b"letter"})
    assert str(failed.value) == "本机未安装 LibreOffice，无法生成 PDF，请下载 Word 版"


def test_a_name_neither_docx_nor_xlsx_is_refused_before_libreoffice_starts() -> None:
    with mock.patch.object(subprocess, "run", side_effect=AssertionError("started")):
        with pytest.raises(ValueError, match=r"not \['notes.txt', 'report'\]"):
            pdf.to_pdf({"bulletin.docx": b"letter", "notes.txt": b"text", "report": b"?"})


def test_nothing_to_convert_starts_nothing() -> None:
    with mock.patch.object(subprocess, "run", side_effect=AssertionError("started")):
        assert pdf.to_pdf({}) == {}


@pytest.mark.slow
def test_a_conversion_that_outlasts_its_time_is_stopped_and_answered_in_chinese() -> None:
    with pytest.raises(pdf.PdfUnavailable) as failed:
        pdf.to_pdf({"bulletin.docx": b"letter"}, timeout=0.05)
    assert str(failed.value) == "PDF 转换失败，请下载 Word 版"

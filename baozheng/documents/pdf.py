"""PDF copies of the Word documents (offices forward PDFs), converted by LibreOffice
headless when it is installed; pages say so when it is not."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

PDF = "application/pdf"
UNAVAILABLE = "本机未安装 LibreOffice，无法生成 PDF，请下载 Word 版"


class PdfUnavailable(RuntimeError):
    pass


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice() is not None


def docx_to_pdf(data: bytes, timeout: int = 180) -> bytes:
    """Convert in a private folder with a private LibreOffice profile, so conversions never
    share (and lock) one user installation."""
    program = soffice()
    if program is None:
        raise PdfUnavailable(UNAVAILABLE)
    with tempfile.TemporaryDirectory(prefix="bz-pdf-") as folder:
        source = Path(folder) / "document.docx"
        source.write_bytes(data)
        result = subprocess.run(
            [
                program,
                "--headless",
                f"-env:UserInstallation=file://{folder}/profile",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                str(source),
            ],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        target = Path(folder) / "document.pdf"
        if result.returncode != 0 or not target.exists():
            raise PdfUnavailable("PDF 转换失败，请下载 Word 版")
        return target.read_bytes()

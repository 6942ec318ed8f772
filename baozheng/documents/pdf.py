"""PDF copies of the Word documents (offices forward PDFs), converted by LibreOffice
headless when it is installed; pages say so when it is not."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePath

PDF = "application/pdf"
UNAVAILABLE = "本机未安装 LibreOffice，无法生成 PDF，请下载 Word 版"
FAILED = "PDF 转换失败，请下载 Word 版"
FORMATS = (".docx", ".xlsx")


class PdfUnavailable(RuntimeError):
    pass


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice() is not None


def docx_to_pdf(data: bytes, timeout: float = 180) -> bytes:
    """One Word document: the case of one of `to_pdf`."""
    return to_pdf({"document.docx": data}, timeout)["document.docx"]


def to_pdf(documents: Mapping[str, bytes], timeout: float = 180) -> dict[str, bytes]:
    """Each document (a name ending in .docx or .xlsx, and its bytes) as PDF under the same
    name, from one LibreOffice start: starting LibreOffice takes about a second, converting a
    bulletin a fraction of that. In a private folder with a private profile, so conversions
    never share (and lock) one user installation. The files are written there as 0.docx,
    1.xlsx…, so that two names with one stem (bulletin.docx, bulletin.xlsx) never share a
    PDF; a document left without its PDF fails the whole call."""
    suffixes = [PurePath(name).suffix.lower() for name in documents]
    unknown = sorted(
        name for name, suffix in zip(documents, suffixes, strict=True) if suffix not in FORMATS
    )
    if unknown:
        raise ValueError(f"LibreOffice converts {', '.join(FORMATS)} here, not {unknown}")
    if not documents:
        return {}
    program = soffice()
    if program is None:
        raise PdfUnavailable(UNAVAILABLE)
    with tempfile.TemporaryDirectory(prefix="bz-pdf-") as folder:
        sources = [Path(folder) / f"{i}{suffix}" for i, suffix in enumerate(suffixes)]
        for source, data in zip(sources, documents.values(), strict=True):
            source.write_bytes(data)
        try:
            result = subprocess.run(
                [
                    program,
                    "--headless",
                    f"-env:UserInstallation=file://{folder}/profile",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    folder,
                    *map(str, sources),
                ],
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:  # a hung LibreOffice is killed; the page answers
            raise PdfUnavailable(FAILED) from None
        targets = [source.with_suffix(".pdf") for source in sources]
        if result.returncode != 0 or not all(target.exists() for target in targets):
            raise PdfUnavailable(FAILED)
        return {name: target.read_bytes() for name, target in zip(documents, targets, strict=True)}

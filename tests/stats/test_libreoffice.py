import subprocess
import tempfile
from pathlib import Path

import pytest

from baozheng.stats.bulletin import bulletin
from baozheng.stats.bulletin_export import bulletin_docx, bulletin_xlsx
from baozheng.testing import BaozhengTestCase
from tests.stats.test_bulletin import load_fixture


@pytest.mark.slow
class LibreOfficeTests(BaozhengTestCase):
    """The exports open in LibreOffice: a headless conversion to PDF succeeds."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        load_fixture(cls.admin)
        cls.june = bulletin("2023-06", cls.city)

    def test_the_xlsx_and_docx_bulletins_convert_to_pdf(self) -> None:
        """Both in one LibreOffice run (it takes every file named), one start instead of two."""
        folder = Path(tempfile.mkdtemp(prefix="bz-lo-"))
        sources = {
            folder / "bulletin.xlsx": bulletin_xlsx(self.june),
            folder / "bulletin-word.docx": bulletin_docx(self.june),
        }
        for source, data in sources.items():
            source.write_bytes(data)
        subprocess.run(
            [
                "soffice",
                "--headless",
                f"-env:UserInstallation=file://{folder}/profile",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                *map(str, sources),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        for source in sources:
            pdf = source.with_suffix(".pdf")
            self.assertTrue(pdf.exists() and pdf.stat().st_size > 1000, source.name)

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

    def convert(self, name: str, data: bytes) -> Path:
        folder = Path(tempfile.mkdtemp(prefix="bz-lo-"))
        source = folder / name
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
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return folder / (source.stem + ".pdf")

    def test_the_xlsx_and_docx_bulletins_convert_to_pdf(self) -> None:
        for name, data in (
            ("bulletin.xlsx", bulletin_xlsx(self.june)),
            ("bulletin.docx", bulletin_docx(self.june)),
        ):
            pdf = self.convert(name, data)
            self.assertTrue(pdf.exists() and pdf.stat().st_size > 1000, name)

"""F18: `baozheng backup` and `baozheng restore` round-trip an installation, and a judge's
scoring link made before the backup still works after the restore (SQLite and PostgreSQL:
the suite runs on both)."""

from __future__ import annotations

import tarfile
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TransactionTestCase, override_settings
from django.urls import reverse

from baozheng.contest.models import Judge
from baozheng.contest.tokens import make_token
from baozheng.org import demo
from tests.contest.factory import SmallContest

OLD_KEY = "backup-test-key-" + "k" * 40


class BackupRestoreTests(TransactionTestCase):
    def setUp(self) -> None:
        self.data_dir = Path(tempfile.mkdtemp(prefix="bz-i13-data-"))
        (self.data_dir / "uploads" / "tasks").mkdir(parents=True)
        (self.data_dir / "uploads" / "tasks" / "证明.pdf").write_bytes(b"%PDF evidence")
        (self.data_dir / "reports").mkdir()
        (self.data_dir / "reports" / "通报.docx").write_bytes(b"report")
        self.file = Path(tempfile.mkdtemp(prefix="bz-i13-backup-")) / "b.tar.gz"

    def test_f18_a_judges_link_works_after_backup_and_restore_into_a_fresh_installation(self):
        demo.create_units()
        users = demo.create_users(password="test-password-123")
        contest = SmallContest(head=users["contest"])
        judge = contest.judges[0]
        with override_settings(SECRET_KEY=OLD_KEY, DATA_DIR=self.data_dir):
            link = reverse("contest-score-session", args=[make_token(judge, contest.session)])
            self.assertEqual(self.client.get(link).status_code, 200)
            call_command("backup", str(self.file), stdout=StringIO())
        with tarfile.open(self.file) as tar:
            self.assertEqual(
                {
                    "manifest.json",
                    "database",
                    "secret_key",
                    "uploads/tasks/证明.pdf",
                    "reports/通报.docx",
                }
                - set(tar.getnames()),
                set(),
            )
        self.assertEqual(self.file.stat().st_mode & 0o777, 0o600)

        # a fresh installation: empty database, no files, a key of its own
        Judge.objects.all().delete()
        fresh = Path(tempfile.mkdtemp(prefix="bz-i13-fresh-"))
        with override_settings(SECRET_KEY="another-key-" + "x" * 40, DATA_DIR=fresh):
            self.assertEqual(self.client.get(link).status_code, 404)
            with self.assertRaisesRegex(CommandError, "--yes"):
                call_command("restore", str(self.file), stdout=StringIO())
            call_command("restore", str(self.file), "--yes", stdout=StringIO())
        restored_key = (fresh / "secret_key").read_text()
        self.assertEqual(restored_key, OLD_KEY)
        self.assertEqual((fresh / "uploads" / "tasks" / "证明.pdf").read_bytes(), b"%PDF evidence")
        self.assertTrue((fresh / "reports" / "通报.docx").exists())
        # the server restarted on the restored data dir reads its key from that file
        with override_settings(SECRET_KEY=restored_key, DATA_DIR=fresh):
            self.assertEqual(self.client.get(link).status_code, 200)

    def test_f18_a_file_that_is_not_a_backup_is_refused_in_chinese(self):
        self.file.write_bytes(b"not a backup")
        with self.assertRaisesRegex(CommandError, "无法读取备份文件"):
            call_command("restore", str(self.file), "--yes", stdout=StringIO())

"""`baozheng contest …`: contest tasks from the command line."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baozheng.contest import draw_service
from baozheng.contest.draw import DrawError
from baozheng.contest.importer import import_contestants
from baozheng.contest.models import Contest, Draw
from baozheng.contest.setup_imports import import_judges, import_teachers, import_topics
from baozheng.lib.tabular import ImportFileError

# The contest's imports from the command line, as on the contest's set-up pages: the
# subcommand, its importer and what it imports.
IMPORTS = {
    "import-contestants": (import_contestants, "选手"),
    "import-topics": (import_topics, "题库课题"),
    "import-judges": (import_judges, "评委"),
    "import-teachers": (import_teachers, "学校教师人数"),
}


class Command(BaseCommand):
    help = (
        "教学大比武：import-contestants、import-topics、import-judges、import-teachers "
        "导入选手、题库课题、评委、学校教师人数（xlsx/csv，可 --dry-run）；"
        "verify-draw 复核抽签（输出 一致/不一致）"
    )

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for action, (_, what) in IMPORTS.items():
            imp = sub.add_parser(action, help=f"从 xlsx 或 csv 导入{what}（任一行出错则不导入）")
            imp.add_argument("file", help="xlsx 或 csv 文件")
            imp.add_argument("--dry-run", action="store_true", help="只检查并报告，不保存")
            imp.add_argument("--contest", help="赛事编码（只有一个赛事时可省略）")
        ver = sub.add_parser("verify-draw", help="按公开记录重放抽签，核对承诺值、随机流密钥和结果")
        ver.add_argument("draw_id", type=int, help="抽签编号")

    def handle(self, *args, action: str, **options) -> None:
        if action in IMPORTS:
            self.run_import(action, options["file"], options["dry_run"], options.get("contest"))
        else:
            self.verify_draw(options["draw_id"])

    def run_import(self, action: str, file: str, dry_run: bool, code: str | None) -> None:
        importer = IMPORTS[action][0]
        contests = Contest.objects.filter(code=code) if code else Contest.objects.all()
        if contests.count() != 1:
            raise CommandError(
                "请用 --contest 指定赛事编码："
                + "、".join(Contest.objects.values_list("code", flat=True))
            )
        path = Path(file)
        if not path.exists():
            raise CommandError(f"文件不存在：{file}")
        try:
            report = importer(contests.get(), path.read_bytes(), path.name, dry_run=dry_run)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        for error in report.errors:
            self.stdout.write(str(error))
        self.stdout.write(report.summary())
        if report.errors:
            raise CommandError("导入失败")

    def verify_draw(self, draw_id: int) -> None:
        draw = Draw.objects.filter(pk=draw_id).first()
        if draw is None:
            raise CommandError(f"找不到编号为 {draw_id} 的抽签")
        try:
            result = draw_service.verify(draw)
        except DrawError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"抽签 {draw.pk}：{draw.title}（{draw.get_kind_display()}）")
        self.stdout.write(
            f"承诺值：{'一致' if result.commitment_ok else '不一致'}  {draw.commitment}"
        )
        self.stdout.write(f"随机流密钥：{'一致' if result.key_ok else '不一致'}")
        self.stdout.write(f"结果：{'一致' if result.result_ok else '不一致'}")
        self.stdout.write("一致" if result.ok else "不一致")
        if not result.ok:
            raise CommandError("复核不一致")

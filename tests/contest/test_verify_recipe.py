"""The ten-line verification recipe in docs/contest.md, run as an outsider would: on the
record JSON of a real draw, in a separate Python process that imports nothing of ours."""

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from django.urls import reverse

from baozheng.contest import draw_service
from baozheng.contest.models import DrawKind
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest

DOCS = Path(__file__).resolve().parents[2] / "docs" / "contest.md"


def recipe() -> str:
    text = DOCS.read_text(encoding="utf-8")
    return re.search(
        r"<!-- verify-recipe -->\n<!-- fmt: off -->\n```python\n(.*?)```", text, re.S
    ).group(1)


class VerifyRecipeTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)

    def draw(self, kind):
        candidates, params = draw_service.session_candidates(kind, self.c.session)
        draw = draw_service.publish(
            self.c.contest,
            kind,
            "复核",
            candidates,
            params,
            self.contest_staff,
            session=self.c.session,
        )
        return draw_service.run(draw, "见证人报数 17 42", "监督员 李华", self.contest_staff)

    def run_recipe(self, record: dict) -> list[str]:
        with tempfile.TemporaryDirectory() as tmp:
            script, data = Path(tmp, "verify.py"), Path(tmp, "draw.json")
            script.write_text(recipe(), encoding="utf-8")
            data.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            out = subprocess.run(
                [sys.executable, "-I", str(script), str(data)],
                capture_output=True,
                text=True,
                encoding="utf-8",
                check=True,
                timeout=60,
            )
        return out.stdout.split("\n")

    def test_the_recipe_is_ten_lines_of_hashlib(self):
        lines = recipe().strip().split("\n")
        self.assertEqual(len(lines), 10)
        self.assertEqual(lines[0], "import hashlib, json, sys")

    def test_the_recipe_confirms_a_real_order_and_topic_draw(self):
        for kind in (DrawKind.ORDER, DrawKind.TOPIC):
            draw = self.draw(kind)
            record = self.client.get(reverse("contest-draw-record", args=[draw.pk])).json()
            self.assertEqual(record["kind"], kind)
            self.assertEqual(
                self.run_recipe(record)[:3], ["承诺值 True", "随机流密钥 True", "结果 True"], kind
            )

    def test_the_recipe_catches_a_changed_result_or_candidate_list(self):
        draw = self.draw(DrawKind.ORDER)
        record = self.client.get(reverse("contest-draw-record", args=[draw.pk])).json()
        swapped = {**record, "result": list(reversed(record["result"]))}
        self.assertEqual(self.run_recipe(swapped)[2], "结果 False")
        tampered = {**record, "hashed": record["hashed"].replace('"001"', '"009"')}
        self.assertEqual(self.run_recipe(tampered)[0], "承诺值 False")

    def test_the_public_page_shows_the_exact_hashed_text_and_the_kind_code(self):
        draw = self.draw(DrawKind.ORDER)
        page = self.client.get(reverse("contest-draw-public", args=[draw.pk]))
        self.assertContains(page, draw_service.hashed_json(draw).replace('"', "&quot;"))
        self.assertContains(page, "<code data-kind>order</code>", html=False)
        self.assertEqual(
            self.client.get(
                reverse("contest-draw-record", args=[self.draw(DrawKind.TOPIC).pk + 999])
            ).status_code,
            404,
        )

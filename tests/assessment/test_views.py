"""Pages and exports: who may see, enter, edit and publish what."""

import io
from decimal import Decimal as D

from docx import Document
from openpyxl import load_workbook

from baozheng.assessment import services
from baozheng.assessment.models import Adjustment, ManualFigure, RankTargetRecord, Run, Scheme
from baozheng.assessment.views.entries import PAGE_SIZE
from baozheng.testing import BaozhengTestCase
from tests.jobs.helpers import run_queued_jobs
from tests.lib.test_gongwen import assert_gongwen

from .factory import Q2, growth_and_service_scheme, rank_target_form


class ViewTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.scheme = growth_and_service_scheme()
        ManualFigure.objects.filter(unit=cls.wolong_unit, key="service").update(
            evidence_text="卧龙区的机密佐证"
        )
        cls.published = services.publish(services.create_run(cls.scheme, Q2, cls.admin))
        cls.draft = services.create_run(cls.scheme, Q2, cls.admin)
        RankTargetRecord.objects.create(
            unit=cls.wancheng_unit, scheme_code="test", year=2023, floor=3, stretch=2, top=1
        )

    def get(self, user, url, status=200):
        self.login(user)
        response = self.client.get(url)
        assert response.status_code == status, response.status_code
        return response

    def test_the_index_lists_schemes_and_published_runs_and_hides_drafts_from_a_county(self):
        page = self.get(self.wancheng, "/assessment/").content.decode()
        assert "测试方案" in page and f"/assessment/runs/{self.published.pk}/" in page
        assert f"/assessment/runs/{self.draft.pk}/" not in page and "新建方案" not in page
        assert (
            f"/assessment/runs/{self.draft.pk}/"
            in self.get(self.dispatch, "/assessment/").content.decode()
        )

    def test_anonymous_visitors_are_sent_to_log_in_and_judges_refused(self):
        assert self.client.get("/assessment/").status_code == 302
        self.get(self.judge, "/assessment/", 403)

    def test_a_county_sees_the_public_ranking_but_only_its_own_breakdown(self):
        page = self.get(self.wancheng, f"/assessment/runs/{self.published.pk}/").content.decode()
        assert "卧龙区" in page and "宛城区" in page
        assert (
            f"/units/{self.wancheng_unit.code}/" in page
            and f"/units/{self.wolong_unit.code}/" not in page
        )
        assert "增长" not in page.split("<tbody>")[0] or "growth" not in page  # no item columns
        own = self.get(
            self.wancheng, f"/assessment/runs/{self.published.pk}/units/411302/"
        ).content.decode()
        assert "直接计分8" in own and "保三争二抢第一" in own
        self.get(self.wancheng, f"/assessment/runs/{self.published.pk}/units/411303/", 403)

    def test_a_county_never_sees_another_countys_manual_entries(self):
        page = self.get(self.wancheng, "/assessment/figures/").content.decode()
        assert "宛城区" in page and "卧龙区的机密佐证" not in page
        assert (
            "卧龙区的机密佐证"
            in self.get(
                self.wolong, f"/assessment/runs/{self.published.pk}/units/411303/"
            ).content.decode()
        )

    def test_the_city_sees_every_items_points_and_a_units_drill_down(self):
        page = self.get(self.leader, f"/assessment/runs/{self.published.pk}/").content.decode()
        assert '<th class="num">growth</th>' in page
        assert (
            "第1名"
            in self.get(
                self.leader, f"/assessment/runs/{self.published.pk}/units/411302/"
            ).content.decode()
        )

    def test_drafts_are_refused_to_leaders_and_counties(self):
        self.get(self.leader, f"/assessment/runs/{self.draft.pk}/", 403)
        self.get(self.wancheng, f"/assessment/runs/{self.draft.pk}/notice.xlsx", 403)
        self.get(self.dispatch, f"/assessment/runs/{self.draft.pk}/")

    def test_only_dispatch_and_admin_compute_and_publish(self):
        for user in (self.leader, self.wancheng, self.dept):
            self.login(user)
            assert (
                self.client.post(
                    f"/assessment/schemes/{self.scheme.pk}/compute/", {"period": "2023-06"}
                ).status_code
                == 403
            )
            assert self.client.post(f"/assessment/runs/{self.draft.pk}/publish/").status_code == 403
        self.login(self.dispatch)
        response = self.client.post(
            f"/assessment/schemes/{self.scheme.pk}/compute/", {"period": "2023-06"}
        )
        assert response.status_code == 302 and response["Location"].startswith("/jobs/")
        run_queued_jobs()  # the computation is a background job (tests/jobs)
        new = Run.objects.order_by("-pk").first()
        assert new.version == 3
        self.client.post(f"/assessment/runs/{new.pk}/publish/")
        new.refresh_from_db()
        assert new.is_published

    def test_a_period_that_does_not_fit_the_scheme_is_refused_with_a_message(self):
        self.login(self.dispatch)
        response = self.client.post(
            f"/assessment/schemes/{self.scheme.pk}/compute/", {"period": "2023-05"}, follow=True
        )
        assert "不能以5月结束" in response.content.decode()

    def test_only_dispatch_and_admin_open_the_scheme_editor(self):
        for user in (self.leader, self.wancheng, self.dept):
            self.get(user, f"/assessment/schemes/{self.scheme.pk}/edit/", 403)
        page = self.get(self.admin, f"/assessment/schemes/{self.scheme.pk}/edit/").content.decode()
        assert "另存为新版本" in page  # frozen by its published run

    def test_saving_a_new_scheme_validates_the_method_parameters(self):
        self.login(self.dispatch)
        data = {
            "code": "fresh",
            "name": "新方案",
            "subjects": "peer_group",
            "peer_group": self.scheme.peer_group_id,
            "period_kind": "quarter",
            "tiers": "[]",
            "parts": "[]",
            "parts_missing": "zero",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-order": "1",
            "items-0-key": "g",
            "items-0-name": "增速",
            "items-0-points": "10",
            "items-0-source": "manual",
            "items-0-source_params": '{"key": "growth"}',
            "items-0-method": "tier",
            "items-0-method_params": '{"floor": 9, "stretch": 8}',
            "items-0-missing_rule": "zero",
        }
        response = self.client.post("/assessment/schemes/new/", data)
        assert response.status_code == 400 and "争取目标" in response.content.decode()
        data["items-0-method_params"] = '{"floor": 8, "stretch": 9}'
        assert self.client.post("/assessment/schemes/new/", data).status_code == 302
        assert Scheme.objects.get(code="fresh").items.get().method_params == {
            "floor": 8,
            "stretch": 9,
        }

    def test_the_live_preview_scores_the_unsaved_scheme_on_real_data(self):
        self.login(self.dispatch)
        data = {
            "code": "test",
            "name": "测试方案",
            "subjects": "peer_group",
            "peer_group": self.scheme.peer_group_id,
            "period_kind": "quarter",
            "tiers": "[]",
            "parts": "[]",
            "parts_missing": "zero",
            "preview_period": "2023-06",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-order": "1",
            "items-0-key": "g",
            "items-0-name": "增速档次",
            "items-0-points": "10",
            "items-0-source": "manual",
            "items-0-source_params": '{"key": "growth"}',
            "items-0-method": "tier",
            "items-0-method_params": '{"floor": 15, "stretch": 18}',
            "items-0-missing_rule": "zero",
        }
        page = self.client.post("/assessment/schemes/preview/", data).content.decode()
        assert "增速档次" in page and "未达保底目标15" in page and "10.00" in page
        assert not Scheme.objects.filter(code="test", version=2).exists()
        self.login(self.leader)
        assert self.client.post("/assessment/schemes/preview/", data).status_code == 403

    def test_a_county_clerk_enters_a_manual_figure_with_evidence_only_for_its_own_county(self):
        self.login(self.wancheng)
        data = {
            "key": "service",
            "unit": self.wancheng_unit.pk,
            "period_kind": "quarter",
            "period": "2023-09",
            "value": "9",
            "evidence_text": "",
        }
        assert self.client.post("/assessment/figures/", data).status_code == 400  # no evidence
        data["evidence_text"] = "督查通报第3期"
        assert self.client.post("/assessment/figures/", data).status_code == 302
        data["value"] = "9.5"
        self.client.post("/assessment/figures/", data)  # a correction replaces it
        assert ManualFigure.objects.get(unit=self.wancheng_unit, period_month=9).value == D("9.5")
        data["unit"] = self.wolong_unit.pk
        assert (
            self.client.post("/assessment/figures/", data).status_code == 400
        )  # not a choice in scope
        self.login(self.leader)
        assert self.client.post("/assessment/figures/", data).status_code == 403

    def test_only_dispatch_records_bonus_and_penalty_entries(self):
        data = {
            "key": "bonus",
            "unit": self.wancheng_unit.pk,
            "period_kind": "quarter",
            "period": "2023-06",
            "kind": "bonus",
            "points": "2",
            "reason": "获省级表彰",
            "evidence_text": "豫政文〔2023〕1号",
        }
        self.login(self.wancheng)
        assert self.client.post("/assessment/adjustments/", data).status_code == 403
        self.login(self.dispatch)
        assert self.client.post("/assessment/adjustments/", data).status_code == 302
        entry = Adjustment.objects.get()
        assert entry.entered_by == self.dispatch and entry.reason == "获省级表彰"

    def test_a_rank_target_is_set_by_dispatch_and_shown_in_the_units_history(self):
        self.login(self.wancheng)
        data = rank_target_form(self.wancheng_unit)
        assert self.client.post("/assessment/targets/", data).status_code == 403
        self.login(self.dispatch)
        assert self.client.post("/assessment/targets/", data).status_code == 302
        assert RankTargetRecord.objects.get(unit=self.wancheng_unit).floor == 4
        page = self.get(self.wancheng, "/assessment/units/411302/history/test/").content.decode()
        assert "保四争二抢第一" in page and "st-exceeds" in page
        self.get(self.wancheng, "/assessment/units/411303/history/test/", 403)

    def test_an_unreadable_place_gets_its_field_error_not_pythons_text(self):
        """A floor of "x" reached the target's check as None and the page showed
        "'<' not supported between instances of 'NoneType' and 'int'"."""
        self.login(self.dispatch)
        for floor in ("x", "", "-1"):  # for a unit without a target yet
            data = rank_target_form(self.wolong_unit) | {"floor": floor}
            response = self.client.post("/assessment/targets/", data)
            page = response.content.decode()
            assert response.status_code == 400, floor
            assert "not supported" not in page and "NoneType" not in page, floor
        assert not RankTargetRecord.objects.filter(unit=self.wolong_unit).exists()
        data = rank_target_form(self.wancheng_unit) | {"floor": "1", "stretch": "2"}
        page = self.client.post("/assessment/targets/", data).content.decode()
        assert "争取名次不低于保底名次" in page
        stored = RankTargetRecord.objects.get(unit=self.wancheng_unit)
        assert (stored.floor, stored.stretch) == (3, 2)  # as set up, unchanged

    def test_the_xlsx_notice_has_the_ranking_and_for_the_city_every_items_points(self):
        response = self.get(self.leader, f"/assessment/runs/{self.published.pk}/notice.xlsx")
        ws = load_workbook(io.BytesIO(response.content)).active
        assert "考评结果的通报" in ws.cell(1, 1).value
        headers = [c.value for c in ws[3]]
        assert headers[0:2] == ["名次", "单位"]
        # an item column says it holds points, and out of how many
        assert headers[2].startswith("growth（") and headers[2].endswith("分）")
        assert headers[3].startswith("service（")
        assert [c.value for c in ws[4]][:5] == [1, "宛城区", 10, 8, 18]
        county = load_workbook(
            io.BytesIO(
                self.get(self.wancheng, f"/assessment/runs/{self.published.pk}/notice.xlsx").content
            )
        ).active
        assert not any(str(c.value).startswith("growth") for c in county[3])
        assert county.page_setup.orientation == "landscape"

    def test_the_docx_notice_reads_as_an_official_notice(self):
        response = self.get(self.wancheng, f"/assessment/runs/{self.published.pk}/notice.docx")
        doc = Document(io.BytesIO(response.content))
        assert_gongwen(self, doc)
        text = "\n".join(p.text for p in doc.paragraphs)
        assert "考评结果的通报" in text and "位列前三名" not in text
        assert "位列第一" in text or "分列第一" in text or "并列第一" in text
        assert doc.tables[0].rows[1].cells[1].text == "宛城区"


class LongListTests(BaozhengTestCase):
    """The manual-figure and bonus/penalty lists showed their first 200 rows and nothing
    said so: a figure the assessment counts could not be found on its page."""

    def page_text(self, url: str) -> str:
        response = self.client.get(url)
        assert response.status_code == 200, response.status_code
        return response.content.decode()

    def test_every_manual_figure_and_adjustment_is_reachable_page_by_page_in_scope(self):
        self.login(self.wancheng)
        many = PAGE_SIZE + 5
        figures = [
            ManualFigure(
                key=f"k{n:03d}",
                unit=unit,
                value=n,
                evidence_text=f"{unit.name}佐证{n:03d}",
                period_year=2023,
                period_month=6,
            )
            for n in range(many)
            for unit in (self.wancheng_unit, self.wolong_unit)
        ]
        ManualFigure.objects.bulk_create(figures)
        Adjustment.objects.bulk_create(
            Adjustment(
                key="safety",
                unit=self.wancheng_unit,
                kind="penalty",
                points=D("0.5"),
                reason=f"事由{n:03d}",
                period_year=2023,
                period_month=6,
            )
            for n in range(many)
        )
        for url, marker in (
            ("/assessment/figures/", "<td>宛城区佐证"),
            ("/assessment/adjustments/", "<td>事由"),
        ):
            first, second = self.page_text(url), self.page_text(url + "?page=2")
            seen = first.count(marker) + second.count(marker)
            assert (first.count(marker), seen) == (PAGE_SIZE, many), url
            assert f"第 1 / 2 页，共 {many} 项" in first and 'href="?page=2"' in first
            assert 'href="?page=1"' in second
            assert "卧龙区佐证" not in first + second
        assert f"宛城区佐证{many - 1:03d}" in self.page_text("/assessment/figures/?page=2")

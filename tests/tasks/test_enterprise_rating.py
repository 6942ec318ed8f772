"""The enterprise rates its own resolved request on the public status page, with the
receipt code and its credit code; "not satisfied" reopens it; nobody else can rate it."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from baozheng.org.models import Unit
from baozheng.tasks import green_channel as green
from baozheng.tasks.models import (
    Channel,
    Enterprise,
    RequestStatus,
    ServiceRequest,
    SourceKind,
    Status,
    Task,
)
from baozheng.tasks.services import transition
from baozheng.testing import BaozhengTestCase

CREDIT = "91411300MA44XXXXX3"


class EnterpriseRatingTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.enterprise = Enterprise.objects.create(
            credit_code=CREDIT, name="宛城食品有限公司", county=cls.wancheng_unit
        )

    def resolved(self) -> ServiceRequest:
        req = green.receive(
            self.enterprise,
            category="energy",
            description="申请电力增容",
            channel=Channel.PUBLIC,
            received_on=date(2023, 3, 1),
        )
        req = green.assign(req, Unit.objects.get(code="411300GDG"), self.dispatch)
        for step, note in (
            (Status.IN_PROGRESS, ""),
            (Status.REPORTED, "已送电"),
            (Status.VERIFYING, ""),
            (Status.CLOSED, ""),
        ):
            transition(req.task, step, self.dispatch, note=note)
        req.refresh_from_db()
        return req

    def rate(self, req, satisfaction="satisfied", credit=CREDIT, **extra):
        data = {"receipt_code": req.receipt_code, "credit_code": credit}
        if satisfaction is not None:
            data["satisfaction"] = satisfaction
        data.update(extra)
        return self.client.post(reverse("tasks-public-status"), data)

    def test_the_status_page_offers_the_rating_once_resolved(self):
        req = self.resolved()
        page = self.rate(req, satisfaction=None)
        self.assertContains(page, "请对办理结果作出评价")
        req.status = RequestStatus.HANDLED
        req.save()
        self.assertNotContains(self.rate(req, satisfaction=None), "请对办理结果作出评价")

    def test_a_satisfied_rating_closes_the_follow_up(self):
        req = self.resolved()
        response = self.rate(req, "basically", comment="办理及时")
        self.assertContains(response, "基本满意")
        req.refresh_from_db()
        self.assertEqual((req.status, req.satisfaction), (RequestStatus.FOLLOWED_UP, "basically"))
        self.assertEqual(req.follow_up_note, "企业在线评价：办理及时")

    def test_not_satisfied_reopens_the_request_with_a_new_task(self):
        req = self.resolved()
        first = req.task
        self.rate(req, "unsatisfied", comment="电压仍不稳定")
        req.refresh_from_db()
        self.assertEqual((req.status, req.reopen_count), (RequestStatus.ASSIGNED, 1))
        self.assertNotEqual(req.task, first)
        self.assertEqual(
            Task.objects.filter(source_kind=SourceKind.ENTERPRISE, source_id=req.pk).count(), 2
        )

    def test_a_wrong_credit_code_rates_nothing(self):
        req = self.resolved()
        response = self.rate(req, "unsatisfied", credit="91411300MA44XXXXX4")
        self.assertContains(response, "没有找到该诉求")
        req.refresh_from_db()
        self.assertEqual((req.status, req.satisfaction), (RequestStatus.RESOLVED, ""))

    def test_a_request_not_yet_resolved_or_an_unknown_rating_is_refused(self):
        req = self.resolved()
        response = self.rate(req, "perfect")
        self.assertEqual(response.status_code, 400)
        req.refresh_from_db()
        self.assertEqual(req.status, RequestStatus.RESOLVED)
        self.rate(req, "satisfied")
        response = self.rate(req, "unsatisfied")
        self.assertContains(response, "只有“已解决”的诉求可以回访", status_code=400)
        req.refresh_from_db()
        self.assertEqual((req.satisfaction, req.reopen_count), ("satisfied", 0))

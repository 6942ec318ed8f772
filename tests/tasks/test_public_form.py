"""The public request form: no account, no captcha, but robots and floods are refused and
no other enterprise's data is ever shown."""

import time

from django.test import override_settings
from django.urls import reverse

from baozheng.tasks import public
from baozheng.tasks.models import Channel, Enterprise, ServiceRequest
from baozheng.testing import BaozhengTestCase
from tests.interleave import after_query

URL = reverse("tasks-public-request")


def form(**changes) -> dict:
    data = {
        "credit_code": "91411300MA44XXXXX3",
        "name": "宛城测试企业有限公司",
        "county": "",
        "category": "energy",
        "description": "新建车间需要增容，申请加快电力报装",
        "contact_name": "张经理",
        "contact_phone": "13800000000",
        "website": "",
        "token": public.form_token(time.time() - 60),
    }
    data.update(changes)
    return data


@override_settings(TASKS_PUBLIC_FORM_PER_HOUR=2, TASKS_PUBLIC_FORM_MIN_SECONDS=5)
class PublicFormTests(BaozhengTestCase):
    def post(self, address="10.0.0.1", **changes):
        data = form(county=self.wancheng_unit.pk, **changes)
        return self.client.post(URL, data, REMOTE_ADDR=address)

    def test_an_enterprise_submits_without_an_account_and_gets_a_receipt_code(self):
        self.assertContains(self.client.get(URL), "企业诉求绿色通道")
        response = self.post(credit_code="91411300MA44XXXXX3")
        req = ServiceRequest.objects.get()
        self.assertContains(response, req.receipt_code)
        self.assertEqual((req.channel, req.submitted_from), (Channel.PUBLIC, "10.0.0.1"))
        self.assertTrue(req.enterprise.self_registered)

    def test_an_invalid_credit_code_is_refused_with_a_clear_message(self):
        response = self.post(credit_code="91411300MA44XXXXX4")
        self.assertContains(response, "统一社会信用代码校验位不正确", status_code=400)
        self.assertFalse(ServiceRequest.objects.exists())

    def test_a_filled_honeypot_is_refused(self):
        response = self.post(website="http://spam.example")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(ServiceRequest.objects.exists())

    def test_a_form_posted_faster_than_a_person_types_is_refused(self):
        response = self.post(token=public.form_token(time.time() - 1))
        self.assertContains(response, "提交过快", status_code=400)

    def test_a_forged_token_is_refused(self):
        response = self.post(token="not-signed")
        self.assertContains(response, "表单已失效", status_code=400)

    def test_an_address_is_limited_per_hour_but_others_are_not(self):
        self.post()
        self.post()
        response = self.post()
        self.assertContains(response, "提交过于频繁", status_code=429)
        self.assertEqual(self.post(address="10.0.0.2").status_code, 200)
        self.assertEqual(ServiceRequest.objects.count(), 3)

    def test_a_known_enterprise_keeps_its_registered_name(self):
        Enterprise.objects.create(
            credit_code="91411300MA44XXXXX3", name="登记名称", county=self.wancheng_unit
        )
        response = self.post(credit_code="91411300MA44XXXXX3", name="冒用名称")
        self.assertNotContains(response, "登记名称")
        self.assertEqual(ServiceRequest.objects.get().enterprise.name, "登记名称")

    def test_the_status_needs_both_the_receipt_and_the_credit_code(self):
        self.post(credit_code="91411300MA44XXXXX3")
        req = ServiceRequest.objects.get()
        status = reverse("tasks-public-status")
        wrong = self.client.post(
            status, {"receipt_code": req.receipt_code, "credit_code": "914403001922038216"}
        )
        self.assertContains(wrong, "没有找到该诉求")
        self.assertNotContains(wrong, "宛城测试企业")
        right = self.client.post(
            status, {"receipt_code": req.receipt_code.lower(), "credit_code": "91411300MA44XXXXX3"}
        )
        self.assertContains(right, "已受理")
        self.assertContains(right, "宛城测试企业")


class PublicFormRaceTests(BaozhengTestCase):
    def test_an_enterprise_registered_meanwhile_is_the_one_the_request_joins(self):
        registered = Enterprise(
            credit_code="91411300MA44XXXXX3", name="刚登记的企业", county=self.wolong_unit
        )
        other = lambda: Enterprise.objects.bulk_create([registered])  # noqa: E731
        with after_query('"credit_code" = ', other):
            response = self.client.post(URL, form(county=self.wancheng_unit.pk))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Enterprise.objects.get().name, "刚登记的企业")
        self.assertEqual(ServiceRequest.objects.get().enterprise.name, "刚登记的企业")

from django.urls import reverse

from baozheng.testing import BaozhengTestCase


class HomeTests(BaozhengTestCase):
    def test_it_sends_anonymous_visitors_to_the_login_page(self):
        response = self.client.get(reverse("home"))
        self.assertRedirects(response, "/login/?next=/")

    def test_it_tells_a_clerk_what_to_do(self):
        self.login(self.wancheng)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "按期填报本县区的月度数据")
        self.assertContains(response, "宛城区")

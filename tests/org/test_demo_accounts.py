"""The demo's accounts share their printed password, hashed once for all of them; each
account signs in with it, and a changed password gets a hash of its own."""

from __future__ import annotations

from unittest import mock

from django.contrib.auth import hashers
from django.test import TestCase

from baozheng.org import demo
from baozheng.org.models import User

PASSWORD = "demo-password-123"


class DemoAccountTests(TestCase):
    def test_the_password_is_hashed_once_and_accepted_for_every_account(self):
        with mock.patch.object(demo, "make_password", wraps=hashers.make_password) as hashed:
            demo.create_units()
            users = demo.create_users(password=PASSWORD)
        self.assertEqual(hashed.call_count, 1)
        self.assertEqual(len(users), len(demo.ACCOUNTS))
        for user in User.objects.all():
            self.assertTrue(user.check_password(PASSWORD), user.username)

    def test_a_second_load_hashes_nothing_and_keeps_a_changed_password(self):
        demo.create_units()
        demo.create_users(password=PASSWORD)
        admin = User.objects.get(username="admin")
        admin.set_password("another-password-456")
        admin.save()
        with mock.patch.object(demo, "make_password") as hashed:
            demo.create_users(password=PASSWORD)
        hashed.assert_not_called()
        admin.refresh_from_db()
        self.assertTrue(admin.check_password("another-password-456"))
        others = User.objects.exclude(pk=admin.pk)
        self.assertNotIn(admin.password, set(others.values_list("password", flat=True)))

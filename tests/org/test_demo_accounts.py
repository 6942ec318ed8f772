"""The demo's accounts share their printed password, hashed once for all of them; each
account signs in with it, and a changed password gets a hash of its own. A second load
writes no account the demo made, and puts back one changed since."""

from __future__ import annotations

from unittest import mock

from auditlog.models import LogEntry
from django.contrib.auth import hashers
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

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

    def test_a_second_load_writes_no_account_it_made_and_puts_back_a_changed_one(self):
        demo.create_units()
        demo.create_users(password=PASSWORD)
        entries = LogEntry.objects.count()
        with CaptureQueriesContext(connection) as queries:
            demo.create_users(password=PASSWORD)
        writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
        self.assertEqual(writes, [])
        self.assertEqual(LogEntry.objects.count(), entries)
        User.objects.filter(username="leader").update(role="clerk", full_name="")
        demo.create_users(password=PASSWORD)
        leader = User.objects.get(username="leader")
        self.assertEqual((leader.role, leader.full_name), ("leader", "市领导 陈静"))


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
class DemoPasswordHashTests(TestCase):
    """The printed demo password is stored as its hash made once, which Argon2 accepts."""

    def test_the_demo_password_is_stored_as_its_hash_made_once(self):
        demo.create_units()
        with mock.patch.object(demo, "make_password") as hashed:
            demo.create_users()
        hashed.assert_not_called()
        for user in User.objects.all():
            self.assertEqual(user.password, demo.DEMO_PASSWORD_HASH, user.username)
        # One hash for all: Argon2 accepting it once (0.12 s a check) answers for every account.
        self.assertTrue(User.objects.get(username="admin").check_password(demo.DEMO_PASSWORD))
        self.assertFalse(hashers.get_hasher().must_update(demo.DEMO_PASSWORD_HASH))

    def test_another_password_or_other_hasher_parameters_are_hashed_anew(self):
        self.assertNotEqual(demo._hashed(PASSWORD), demo.DEMO_PASSWORD_HASH)
        # Other parameters, and cheap ones: what matters is that they differ from the hash's.
        with (
            mock.patch.object(hashers.Argon2PasswordHasher, "time_cost", 1),
            mock.patch.object(hashers.Argon2PasswordHasher, "memory_cost", 1024),
        ):
            made = demo._hashed(demo.DEMO_PASSWORD)
        self.assertNotEqual(made, demo.DEMO_PASSWORD_HASH)
        self.assertTrue(hashers.check_password(demo.DEMO_PASSWORD, made))

"""What moves the key-project data version (`ProjectDataVersion`): the inputs of the
monthly bulletin (`projects/bulletin.py`), nothing else.

The bulletin reads the projects (registry figures, county, leader), their stages' planned
and actual dates, the progress reports' cumulative investment, the warning thresholds, and
the units with their peer groups (names, the ranked counties, the home unit in the title).
A save or delete of any of these moves the version, even one that changes only a field the
bulletin does not print (a narrative): such writes are rare, and a missed one would serve
old figures. A user's account matters in one case: a project whose leader has an account
but no typed name prints the account's name, and deleting the account unlinks its projects
(a bulk update that sends no signal of its own). Who may see which project is no input: the
reader's scope is part of each document's file name (`projects/exports.py`).

Writes that bypass model signals (the demo's bulk inserts) call `bump` themselves.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_delete

from baozheng.projects.models import (
    ProgressReport,
    Project,
    ProjectDataVersion,
    Stage,
    WarningSettings,
)

NAME_FIELDS = {"full_name", "username"}


def current() -> str:
    """The version now, as a file-name part: one primary-key read."""
    return ProjectDataVersion.current()


def bump() -> None:
    """Move the version on, inside the writer's transaction."""
    ProjectDataVersion.bump()


def _changed(sender, **kwargs) -> None:
    bump()


def _user_saved(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is not None and not NAME_FIELDS & set(update_fields):
        return  # a login (last_login) or a password change
    if Project.objects.filter(leader=instance, leader_name="").exists():
        bump()


def _user_deleted(sender, instance, **kwargs) -> None:
    if Project.objects.filter(leader=instance).exists():
        bump()


def connect() -> None:
    from django.contrib.auth import get_user_model

    from baozheng.org.models import PeerGroup, Unit

    for model in (Project, Stage, ProgressReport, WarningSettings, Unit, PeerGroup):
        name = model.__name__
        post_save.connect(_changed, sender=model, dispatch_uid=f"project-version-{name}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"project-version-del-{name}")
    user = get_user_model()
    post_save.connect(_user_saved, sender=user, dispatch_uid="project-version-user")
    pre_delete.connect(_user_deleted, sender=user, dispatch_uid="project-version-user-del")

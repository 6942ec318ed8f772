"""Which reminders are due, to whom, and sending each exactly once.

Lights and recipients (the practice of 督查督办 offices):
- blue (deadline within 3 working days) and yellow (behind time progress): the lead
  unit's liaisons (联络员) and the responsible person;
- red (overdue) escalates: the lead unit's head (主要负责人) and the dispatch office
  (contacts with role 调度办 plus BAOZHENG_DISPATCH_* settings).

`send_due` claims a `Reminder` row (unique per task, light, channel, recipient and
deadline) before sending and deletes the claim when delivery fails, so a cron run every
few minutes never repeats a delivered reminder and retries a failed one. A claim left by
a crashed run is retried after `STALE_CLAIM_MINUTES`.

A contact with neither an e-mail address nor a robot webhook, or a task with nobody to
remind at all, is reported as skipped (未配置发送渠道): nothing was attempted, so nothing
failed, and it is reported again on every run until someone fills the contact in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from baozheng.lib.progress import STEPS, advance
from baozheng.tasks import notify
from baozheng.tasks.models import OPEN_STATUSES, Contact, ContactRole, Reminder, Task
from baozheng.tasks.services import COLOUR_LABELS, colour

STALE_CLAIM_MINUTES = 30
REMINDED_LIGHTS = ("blue", "yellow", "red")
NO_CHANNEL = "none"  # a contact registered without an address: reported, never sent
NO_CHANNEL_TEXT = "未配置发送渠道"


@dataclass(frozen=True)
class Recipient:
    channel: str  # "email", "wecom", "dingtalk", or NO_CHANNEL (address = the contact's name)
    address: str
    mobile: str = ""
    secret: str = ""


@dataclass
class RemindReport:
    sent: list[str] = field(default_factory=list)
    already: int = 0
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _contact_recipients(contacts) -> list[Recipient]:
    found = []
    for c in contacts:
        if c.email:
            found.append(Recipient("email", c.email))
        if c.webhook_url and c.webhook_kind:
            found.append(Recipient(c.webhook_kind, c.webhook_url, c.mobile, c.webhook_secret))
        if not c.email and not (c.webhook_url and c.webhook_kind):
            found.append(Recipient(NO_CHANNEL, str(c)))
    return found


def dispatch_office_recipients() -> list[Recipient]:
    found = _contact_recipients(Contact.objects.filter(role=ContactRole.DISPATCH))
    found += [Recipient("email", a) for a in settings.TASKS_DISPATCH_EMAILS]
    found += [Recipient("wecom", u) for u in settings.TASKS_DISPATCH_WECOM_WEBHOOKS]
    found += [Recipient("dingtalk", u) for u in settings.TASKS_DISPATCH_DINGTALK_WEBHOOKS]
    return found


def escalation_recipients(task: Task) -> list[Recipient]:
    """A red task goes up: the lead unit's head and the dispatch office."""
    heads = Contact.objects.filter(unit=task.lead_unit, role=ContactRole.HEAD)
    return _unique(_contact_recipients(heads) + dispatch_office_recipients())


def recipients(task: Task, light: str) -> list[Recipient]:
    if light == "red":
        return escalation_recipients(task)
    found = _contact_recipients(
        Contact.objects.filter(unit=task.lead_unit, role=ContactRole.LIAISON)
    )
    if task.owner and task.owner.email:
        found.append(Recipient("email", task.owner.email))
    return _unique(found)


def _unique(found: list[Recipient]) -> list[Recipient]:
    seen, result = set(), []
    for r in found:
        if (r.channel, r.address) not in seen:
            seen.add((r.channel, r.address))
            result.append(r)
    return result


def message(task: Task, light: str, today: date) -> tuple[str, str]:
    label = COLOUR_LABELS[light]
    subject = f"【督办{label[:2]}】{task.code} {task.title}"
    lines = [
        f"督办事项 {task.code}：{task.title}",
        f"牵头单位：{task.lead_unit.name}",
        f"办结时限：{task.deadline:%Y年%m月%d日}（{label}）",
        f"当前状态：{task.get_status_display()}，完成进度 {task.percent_done}%",
    ]
    if light == "red":
        overdue = (today - task.deadline).days
        lines.append(f"已超期 {overdue} 天，已报送单位主要负责人和市调度办，请立即办理并反馈。")
    elif light == "yellow":
        lines.append("办理进度滞后于时间进度，请加快推进。")
    else:
        lines.append("即将到期，请按时办结并反馈。")
    if task.source_label:
        lines.append(f"来源：{task.get_source_kind_display()} · {task.source_label}")
    lines.append(f"办理地址：{task_link(task)}")
    return subject, "\n".join(lines)


def task_link(task: Task) -> str:
    """The task page's full address, so a reminder read on a phone opens the task."""
    return settings.SITE_URL + reverse("tasks-detail", args=[task.pk])


def due(today: date) -> list[tuple[Task, str]]:
    tasks = Task.objects.filter(status__in=OPEN_STATUSES).select_related("lead_unit", "owner")
    found = []
    for task in tasks:
        light = colour(task, today)
        if light in REMINDED_LIGHTS:
            found.append((task, light))
    return found


def _claim(task: Task, light: str, recipient: Recipient) -> Reminder | None:
    key = {
        "task": task,
        "light": light,
        "channel": recipient.channel,
        "recipient": recipient.address,
        "deadline": task.deadline,
    }
    stale = timezone.now() - timedelta(minutes=STALE_CLAIM_MINUTES)
    Reminder.objects.filter(sent_at__isnull=True, claimed_at__lt=stale, **key).delete()
    try:
        with transaction.atomic():
            return Reminder.objects.create(**key)
    except IntegrityError:
        return None


def _deliver(recipient: Recipient, subject: str, body: str) -> None:
    if recipient.channel == "email":
        notify.send_email(recipient.address, subject, body)
    else:
        notify.post_webhook(
            recipient.channel,
            recipient.address,
            body,
            [recipient.mobile] if recipient.mobile else (),
            recipient.secret,
        )


def send_due(today: date, dry_run: bool = False) -> RemindReport:
    report = RemindReport()
    pending = due(today)
    for done, (task, light) in enumerate(pending):
        advance(STEPS, done, len(pending))  # one step per due task and light
        subject, body = message(task, light, today)
        found = recipients(task, light)
        if not found:
            report.skipped.append(
                f"{task.code} {light}：{NO_CHANNEL_TEXT}（{task.lead_unit.name}未登记提醒联系人）"
            )
        for recipient in found:
            if recipient.channel == NO_CHANNEL:
                report.skipped.append(
                    f"{task.code} {light} → {recipient.address}：{NO_CHANNEL_TEXT}"
                )
                continue
            line = f"{task.code} {light} → {recipient.channel}:{recipient.address}"
            if dry_run:
                sent_before = Reminder.objects.filter(
                    task=task,
                    light=light,
                    channel=recipient.channel,
                    recipient=recipient.address,
                    deadline=task.deadline,
                ).exists()
                if sent_before:
                    report.already += 1
                else:
                    report.sent.append(line)
                continue
            claim = _claim(task, light, recipient)
            if claim is None:
                report.already += 1
                continue
            try:
                _deliver(recipient, subject, body)
            except notify.DeliveryError as exc:
                claim.delete()
                report.failed.append(f"{line}：{exc}")
                continue
            claim.sent_at = timezone.now()
            claim.save(update_fields=["sent_at"])
            report.sent.append(line)
    advance(STEPS, len(pending), len(pending))
    return report

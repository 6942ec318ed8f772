"""The month's summary, pushed once per release to the groups where leaders read it.

When a period is released (the `period_released` signal, or `baozheng push` from a
schedule) every active channel whose unit lies within the released unit receives five to
ten lines of its own headline in words and a link back to the headline page: WeCom and
DingTalk group robots (`tasks.notify`, the formats the reminders use) and e-mail lists.

The push runs as a background job, one per release (`headline/jobs.py`), retried with
backoff while a channel fails. Once per release, like the reminders: a `PushDelivery` row keyed on (channel, period,
parent, version) is claimed before sending and kept only when delivery succeeded, so a
second run, or the same signal again, sends nothing, and a failed delivery is tried again
on the next run. A new version of a release (a correction) is a new push.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from baozheng.analysis.periods import Period
from baozheng.headline.display import ScreenViewer
from baozheng.headline.models import ChannelKind, PushChannel, PushDelivery, ReleaseNotice
from baozheng.headline.summary import build, headline_indicators, red_tasks
from baozheng.headline.words import STATUS_WORDS
from baozheng.jobs import runner
from baozheng.lib.progress import STEPS, advance
from baozheng.org.models import Unit
from baozheng.org.permissions import scope_q
from baozheng.tasks import notify

STALE_CLAIM_MINUTES = 30
MAX_INDICATOR_LINES = 6


@dataclass
class PushReport:
    sent: list[str] = field(default_factory=list)
    already: int = 0
    failed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"已推送 {len(self.sent)} 个渠道，此前已推送 {self.already} 个"
        if self.failed:
            text += f"，失败 {len(self.failed)} 个（下次运行时重试）"
        return text + "。"


def site_link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def summary_text(unit: Unit, period: Period) -> tuple[str, str]:
    """The subject and the five-to-ten lines of one unit's headline, as the unit's own
    scope sees it (a county's group reads its county)."""
    from baozheng.tasks.services import today

    viewer = ScreenViewer(unit)
    result = build(viewer, unit, period, headline_indicators()[:MAX_INDICATOR_LINES])
    subject = f"【{unit.name}经济运行要览】{period.label}"
    lines = [subject]
    for line in result.lines:
        status = STATUS_WORDS.get(line.status, "")
        lines.append(f"{line.indicator.name}：{line.sentence}（{status}）")
    behind = []
    for line in result.lines:
        red = [b.row.unit.display_name for b in line.behind if b.row.status == "off_track"]
        if red:
            behind.append(
                f"{line.indicator.name}（{'、'.join(red[:4])}{'等' if len(red) > 4 else ''}）"
            )
    if behind:
        lines.append(f"红灯单位：{'；'.join(behind[:3])}")
    from baozheng.tasks.models import Task

    overdue = len(red_tasks(Task.objects.filter(scope_q(viewer, "lead_unit")), today()))
    if overdue:
        lines.append(f"超期督办事项 {overdue} 项{'以上' if overdue >= 5 else ''}，请督促办理。")
    query = f"?unit={unit.code}&period={period.code}"
    lines.append(f"详情：{site_link(reverse('headline') + query)}")
    return subject, "\n".join(lines)


def _claim(channel: PushChannel, key: dict) -> PushDelivery | None:
    stale = timezone.now() - timedelta(minutes=STALE_CLAIM_MINUTES)
    PushDelivery.objects.filter(
        channel=channel, sent_at__isnull=True, claimed_at__lt=stale, **key
    ).delete()
    try:
        with transaction.atomic():
            return PushDelivery.objects.create(channel=channel, **key)
    except IntegrityError:
        return None


def _deliver(channel: PushChannel, subject: str, body: str) -> None:
    if channel.kind == ChannelKind.EMAIL:
        try:
            send_mail(subject, body, None, channel.email_addresses(), fail_silently=False)
        except Exception as exc:  # smtplib and socket errors alike
            raise notify.DeliveryError(f"邮件发送失败：{exc}") from exc
    else:
        notify.post_webhook(channel.kind, channel.address.strip(), body, (), channel.secret)


def channels_for(parent: Unit):
    return PushChannel.objects.filter(
        active=True, unit__path__startswith=parent.path
    ).select_related("unit")


def push_release(
    period: Period, parent: Unit, version: int = 1, dry_run: bool = False
) -> PushReport:
    """Send the summary of `period` to every channel within `parent`, once per release."""
    report = PushReport()
    key = {"period": period.code, "parent": parent.code, "version": version}
    texts: dict[str, tuple[str, str]] = {}
    channels = list(channels_for(parent))
    for done, channel in enumerate(channels, start=1):
        advance(STEPS, done - 1, len(channels))
        label = f"{channel.name}（{channel.get_kind_display()}）"
        if dry_run:
            done = PushDelivery.objects.filter(
                channel=channel, sent_at__isnull=False, **key
            ).exists()
            if done:
                report.already += 1
            else:
                report.sent.append(label)
            continue
        claim = _claim(channel, key)
        if claim is None:
            report.already += 1
            continue
        if channel.unit.code not in texts:
            texts[channel.unit.code] = summary_text(channel.unit, period)
        subject, body = texts[channel.unit.code]
        try:
            _deliver(channel, subject, body)
        except notify.DeliveryError as exc:
            claim.delete()
            report.failed.append(f"{label}：{exc}")
            continue
        claim.sent_at = timezone.now()
        claim.save(update_fields=["sent_at"])
        report.sent.append(label)
    advance(STEPS, len(channels), len(channels))
    return report


def note_release(period: Period, parent: Unit, version: int) -> None:
    ReleaseNotice.objects.get_or_create(period=period.code, parent=parent.code, version=version)


def _period(value: Any) -> Period:
    return value if isinstance(value, Period) else Period.parse(str(value))


def _unit(value: Any) -> Unit:
    return value if isinstance(value, Unit) else Unit.objects.get(code=str(value))


def start_push(period: Period, parent: Unit, version: int, user=None):
    """One push job per release: a second signal for the same release joins the job
    still queued or running; once per channel is kept by `push_release` itself."""
    title = f"推送{parent.name}{period.label}经济运行要览（第{version}版）"
    params = {"period": period.code, "parent": parent.code, "version": version}
    key = f"push:{period.code}:{parent.code}:{version}"
    return runner.start_or_join("push", title, user, params, key)


def on_period_released(sender, release, period, parent, **kwargs) -> None:
    """Receiver of `stats.signals.period_released`: after the release is committed, note
    it (the big screens reload) and start the job that pushes the summary. A failed push
    never undoes a release; the job retries it with backoff (`headline/jobs.py`)."""
    version = int(getattr(release, "version", 1) or 1)
    user = getattr(release, "released_by", None)
    the_period, the_parent = _period(period), _unit(parent)

    def run() -> None:
        note_release(the_period, the_parent, version)
        start_push(the_period, the_parent, version, user)

    transaction.on_commit(run)

"""Judges' score sheets (the source of truth) and their audited corrections."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from baozheng.contest.models.structure import Contestant, Judge, RubricItem, Session
from baozheng.lib.bounds import decimal_bounds


class ScoreSheet(models.Model):
    """One judge's submitted scores for one contestant; locked once stored.

    The database refuses a second sheet for the same judge and contestant, and a second
    sheet with the same idempotency key, so a network retry can never store a duplicate.
    There is no stored total: every aggregate is summed from the lines.
    """

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="sheets")
    judge = models.ForeignKey(Judge, on_delete=models.PROTECT, related_name="sheets")
    contestant = models.ForeignKey(Contestant, on_delete=models.PROTECT, related_name="sheets")
    idempotency_key = models.CharField(max_length=64, unique=True)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "评分表"
        verbose_name_plural = "评分表"
        constraints = [
            models.UniqueConstraint(fields=["judge", "contestant"], name="contest_one_sheet")
        ]

    def __str__(self) -> str:
        return f"{self.judge.name} → {self.contestant.number}"

    def points(self) -> dict[int, Decimal]:
        return {line.item_id: line.points for line in self.lines.all()}

    def total(self) -> Decimal:
        return sum((line.points for line in self.lines.all()), Decimal(0))


class ScoreLine(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(RubricItem, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField("得分", max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = "评分项得分"
        verbose_name_plural = "评分项得分"
        ordering = ["item__order", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "item"], name="contest_line_once"),
            *decimal_bounds(5, 1, "points"),
        ]

    def __str__(self) -> str:
        return f"{self.item.name} {self.points}"


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"


class Correction(models.Model):
    """A judge's request to change a locked sheet; only the venue head may decide it.
    Old and new points are both kept, so the record shows exactly what changed."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.PROTECT, related_name="corrections")
    new_points = models.JSONField("更正后分数")
    old_points = models.JSONField("原分数")
    reason = models.CharField("更正理由", max_length=300)
    status = models.CharField(
        "状态", max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "更正申请"
        verbose_name_plural = "更正申请"
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"更正 {self.sheet}（{self.get_status_display()}）"


class PaperEntry(models.Model):
    """One staff member's typing-in of a judge's paper score sheet (纸质评分表). Two different
    staff enter each paper sheet; it becomes a `ScoreSheet` only when both entries agree, and
    disagreeing pairs are listed for the venue head (the model is Tabbycat's ballot
    double-check)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="paper_entries")
    judge = models.ForeignKey(Judge, on_delete=models.PROTECT, related_name="paper_entries")
    contestant = models.ForeignKey(
        Contestant, on_delete=models.PROTECT, related_name="paper_entries"
    )
    points = models.JSONField("录入的分数")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "纸质评分表录入"
        verbose_name_plural = "纸质评分表录入"
        ordering = ["entered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["judge", "contestant", "entered_by"], name="contest_paper_entry_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.judge.name} → {self.contestant.number}（{self.entered_by}）"


class JudgeAbsence(models.Model):
    """The venue head's record that a seated judge did not score a session, and why. The
    session's panel is then the sheets present: its contestants are complete without that
    judge's sheet (see `standings.expected_sheets`)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="absences")
    judge = models.ForeignKey(Judge, on_delete=models.PROTECT, related_name="absences")
    reason = models.CharField("缺席原因", max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "评委缺席"
        verbose_name_plural = "评委缺席"
        constraints = [
            models.UniqueConstraint(fields=["session", "judge"], name="contest_absence_once")
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.judge.name} 缺席"

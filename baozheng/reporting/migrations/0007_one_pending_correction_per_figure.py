from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, Max


def withdraw_all_but_the_latest_pending(apps, schema_editor):
    """Before the constraint, a figure could hold several pending requests, which the
    approvers would apply in whichever order they reached them; the latest one is the
    clerk's last word and stays, the earlier ones are marked withdrawn, with a note."""
    request = apps.get_model("reporting", "CorrectionRequest")
    figure = ("indicator", "unit", "year", "month")
    repeated = (
        request.objects.filter(state="pending")
        .values(*figure)
        .annotate(n=Count("pk"), latest=Max("pk"))
        .filter(n__gt=1)
    )
    for row in repeated:
        request.objects.filter(state="pending", **{f: row[f] for f in figure}).exclude(
            pk=row["latest"]
        ).update(state="withdrawn", decision_note="同一数据有较新的更正申请，升级时撤回")


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0005_home_unit_help_text"),
        ("reporting", "0006_form_step_level"),
        ("stats", "0008_revision_reason_holds_both"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="correctionrequest",
            name="state",
            field=models.CharField(
                choices=[
                    ("pending", "待审批"),
                    ("accepted", "已采纳"),
                    ("rejected", "已驳回"),
                    ("withdrawn", "已撤回"),
                ],
                default="pending",
                max_length=10,
                verbose_name="状态",
            ),
        ),
        migrations.RunPython(withdraw_all_but_the_latest_pending, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="correctionrequest",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state", "pending")),
                fields=("indicator", "unit", "year", "month"),
                name="one_pending_correction_per_figure",
            ),
        ),
    ]

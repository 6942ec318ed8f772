from django.db import migrations, models
from django.db.models.functions import Coalesce


def keep_the_global_rule_in_use(apps, schema_editor):
    """Two first saves at once could store two global rules; pages and the bulletin read
    the first (lowest id), so the others never counted and go."""
    rule = apps.get_model("stats", "LightRule")
    first = rule.objects.filter(indicator=None).order_by("pk").values_list("pk", flat=True).first()
    rule.objects.filter(indicator=None).exclude(pk=first).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0006_references_checked_per_statement"),
    ]

    operations = [
        migrations.RunPython(keep_the_global_rule_in_use, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="lightrule",
            name="light_rule_one_global",
        ),
        migrations.AddConstraint(
            model_name="lightrule",
            constraint=models.UniqueConstraint(
                Coalesce("indicator", models.Value(0)),
                condition=models.Q(("indicator__isnull", True)),
                name="light_rule_one_global",
                violation_error_message="已有全局亮灯规则",
            ),
        ),
    ]

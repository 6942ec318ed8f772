from django.apps import AppConfig


class StatsConfig(AppConfig):
    """Indicators, observations, targets, imports and the bulletin (DOMAIN §2–5, §11)."""

    name = "baozheng.stats"
    label = "stats"
    verbose_name = "统计指标"

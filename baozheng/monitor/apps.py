from django.apps import AppConfig


class MonitorConfig(AppConfig):
    """Dashboard, indicator, unit, warning and bulletin pages; data entry and approval."""

    name = "baozheng.monitor"
    label = "monitor"
    verbose_name = "运行监测"

from django.apps import AppConfig


class MonitorConfig(AppConfig):
    """Dashboard, indicator, unit, warning and bulletin pages; data entry and approval."""

    name = "baozheng.monitor"
    label = "monitor"
    verbose_name = "运行监测"

    def ready(self) -> None:
        from baozheng.monitor import versioning

        versioning.connect()

    @property
    def nav(self):
        from baozheng.org.navigation import NavItem
        from baozheng.org.roles import Cap

        return [
            NavItem("驾驶舱", "monitor-overview", Cap.VIEW, order=10),
            NavItem("预警", "monitor-warnings", Cap.VIEW, order=12),
            NavItem("通报", "monitor-bulletin", Cap.VIEW, order=14),
            NavItem("目标分解", "monitor-targets", Cap.VIEW, order=16),
            NavItem("数据填报", "monitor-entry", Cap.ENTER, order=20),
            NavItem("审核", "monitor-review", Cap.APPROVE, order=22),
            NavItem("报送进度", "monitor-progress", Cap.VIEW, order=24),
        ]

    def home_hints(self, user) -> list:
        from baozheng.monitor.hints import hints

        return hints(user)

from django.apps import AppConfig


class ApiConfig(AppConfig):
    """API tokens for other systems and the versioned JSON API built on every app's routes."""

    name = "baozheng.api"
    label = "api"
    verbose_name = "数据接口"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from baozheng.api.models import ApiToken

        auditlog.register(
            ApiToken, exclude_fields=["secret_hash", "last_used_at", "last_used_from"]
        )

    @property
    def nav(self):
        from baozheng.org.navigation import NavItem
        from baozheng.org.roles import Cap

        return [NavItem("接口令牌", "api-tokens", Cap.MANAGE, order=96, group="org")]

from django.apps import AppConfig


class OrgConfig(AppConfig):
    """Units, peer groups, users, roles and scope: what every other app stands on."""

    name = "baozheng.org"
    label = "org"
    verbose_name = "组织与账户"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from baozheng.lib import lookups
        from baozheng.org import audit_diff, audit_units, checks  # noqa: F401  (checks registers itself)
        from baozheng.org.models import PeerGroup, Unit, User

        auditlog.register(Unit)
        auditlog.register(PeerGroup)
        auditlog.register(User, exclude_fields=["password", "last_login"], m2m_fields={"scope"})
        audit_units.connect()
        audit_diff.connect()
        lookups.register()

    @property
    def nav(self):
        from baozheng.org.navigation import NavItem
        from baozheng.org.roles import Cap

        return [
            NavItem("单位", "org-units", Cap.VIEW, order=90),
            NavItem("审计", "org-audit", Cap.MANAGE, order=95),
            NavItem("工作日历", "org-calendar", Cap.MANAGE, order=96),
        ]

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """The 公文 settings of each document type: issuer, number, recipients, date."""

    name = "baozheng.documents"
    label = "documents"
    verbose_name = "公文设置"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from baozheng.documents.models import DocumentSettings

        auditlog.register(DocumentSettings)

    @property
    def nav(self):
        from baozheng.org.navigation import NavItem
        from baozheng.org.roles import Cap

        return [NavItem("公文设置", "documents-settings", Cap.MANAGE, order=97)]

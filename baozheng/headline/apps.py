from django.apps import AppConfig


class HeadlineConfig(AppConfig):
    """The leader's thirty seconds: the headline page, the county map, the big screen and
    the month's summary pushed to the groups where leaders read."""

    name = "baozheng.headline"
    label = "headline"
    # `baozheng import` kinds this app answers for: kind → (importer, what it imports).
    import_kinds = {
        "boundaries": ("baozheng.headline.boundaries.import_boundaries", "单位边界（GeoJSON）")
    }
    verbose_name = "领导要览"

    @property
    def nav(self):
        from baozheng.org.navigation import NavItem
        from baozheng.org.roles import Cap

        return [NavItem("要览", "headline", Cap.VIEW, order=5, group="monitor")]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from baozheng.headline.models import DisplayLink, HeadlineIndicator, PushChannel
        from baozheng.stats.signals import period_released

        for model in (HeadlineIndicator, DisplayLink, PushChannel):
            auditlog.register(model)
        # Boundaries change only through imports, audited as one ImportBatch with the file's hash.
        period_released.connect(_push_on_release, dispatch_uid="headline-push")


def _push_on_release(sender, **kwargs) -> None:
    """`headline.push.on_period_released`, imported when a period is released rather than at
    start: the push reaches the statistics engine (polars, numpy), which every command,
    server and job worker would otherwise load before doing anything."""
    from baozheng.headline import push

    push.on_period_released(sender, **kwargs)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "tuopin.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from tuopin.monitoring.screening import open_sweep_clues  # noqa: PLC0415
        from tuopin.rules.sweep import register_candidate_handler  # noqa: PLC0415

        register_candidate_handler(open_sweep_clues)

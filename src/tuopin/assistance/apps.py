from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "tuopin.assistance"
    label = "assistance"
    verbose_name = _("Assistance")

    def ready(self) -> None:
        from tuopin.assistance.selectors import count_measures  # noqa: PLC0415
        from tuopin.rules.inputs import register_measure_counter  # noqa: PLC0415

        register_measure_counter(count_measures)

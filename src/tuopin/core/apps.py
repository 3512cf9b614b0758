from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tuopin.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Registers the ``any_of`` lookup on the field types that use it.
        from tuopin.core import lookups  # noqa: F401, PLC0415

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditKind(models.TextChoices):
    WRITE = "write", _("Change")
    VIEW = "view", _("View of personal data")
    ACCESS = "access", _("Sign-in and access")

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from tuopin.accounts.choices import Role
from tuopin.accounts.services import login_failed, login_is_locked
from tuopin.core.htmx import client_ip


class ThrottledAuthenticationForm(AuthenticationForm):
    """Sign-in that refuses, for a while, a name or address with repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed sign-ins. Wait %(minutes)s minutes, or ask an administrator."),
    }

    def clean(self) -> dict[str, Any]:
        username = self.data.get("username", "") or ""
        ip = client_ip(self.request) if self.request else None
        if login_is_locked(username=username, ip=ip):
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": max(1, settings.LOGIN_FAILURE_WINDOW_SECONDS // 60)},
            )
        try:
            return super().clean()
        except forms.ValidationError:
            if username:
                login_failed(username=username, ip=ip)
            raise


class UserForm(forms.Form):
    username = forms.CharField(label=_("Login name"), max_length=150)
    display_name = forms.CharField(label=_("Display name"), max_length=100, required=False)
    organisation = forms.CharField(label=_("Unit"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput, strip=False)


class UserEditForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=100, required=False)
    organisation = forms.CharField(label=_("Unit"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False)


class GrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    area_code = forms.CharField(
        label=_("Area code"),
        max_length=12,
        min_length=12,
        help_text=_("The 12-digit code; the grant covers the area and everything below it."),
    )


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput, strip=False)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action starts with"), required=False)
    actor = forms.CharField(label=_("Actor"), required=False)
    area_code = forms.CharField(label=_("Area code"), required=False, max_length=12)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

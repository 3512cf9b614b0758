"""Sign-in, user and grant management, API tokens and the audit log browser."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.accounts import selectors, services
from tuopin.accounts.forms import (
    AuditFilterForm,
    GrantForm,
    PasswordForm,
    ThrottledAuthenticationForm,
    TokenForm,
    UserEditForm,
    UserForm,
)
from tuopin.accounts.models import User
from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import has_capability
from tuopin.areas.selectors import area_queryset
from tuopin.core.errors import DomainError
from tuopin.core.htmx import client_ip


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        services.login_succeeded(user=form.get_user(), ip=client_ip(self.request))
        return super().form_valid(form)


def _require_manager(request: HttpRequest) -> None:
    if not has_capability(request.user, Capability.MANAGE_USERS):
        raise Http404


def _managed_user(request: HttpRequest, pk: int) -> User:
    user = selectors.user_queryset(user=request.user).filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    request.nav_section = "users"  # type: ignore[attr-defined]
    search = request.GET.get("q", "").strip()
    page = Paginator(selectors.user_list(user=request.user, search=search), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/user_list.html", {"page": page, "search": search})


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    request.nav_section = "users"  # type: ignore[attr-defined]
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("Account created. Add a grant so it can see its areas."))
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    request.nav_section = "users"  # type: ignore[attr-defined]
    subject = _managed_user(request, pk)
    edit_form = UserEditForm(
        request.POST if request.POST.get("form") == "profile" else None,
        initial={
            "display_name": subject.display_name,
            "organisation": subject.organisation,
            "phone": subject.phone,
            "email": subject.email,
            "is_active": subject.is_active,
        },
    )
    grant_form = GrantForm(request.POST if request.POST.get("form") == "grant" else None)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "profile" and edit_form.is_valid():
                services.user_update(actor=request.user, user=subject, **edit_form.cleaned_data)
                messages.success(request, _("Saved."))
                return redirect("accounts:user_detail", pk=subject.pk)
            if request.POST.get("form") == "grant" and grant_form.is_valid():
                area = (
                    area_queryset(user=request.user, capability=Capability.MANAGE_USERS)
                    .filter(code=grant_form.cleaned_data["area_code"])
                    .first()
                )
                if area is None:
                    grant_form.add_error("area_code", _("No area you manage has this code."))
                else:
                    services.grant_add(
                        actor=request.user,
                        user=subject,
                        role=grant_form.cleaned_data["role"],
                        area=area,
                    )
                    messages.success(request, _("Grant added."))
                    return redirect("accounts:user_detail", pk=subject.pk)
        except DomainError as exc:
            messages.error(request, str(exc))
    context = {
        "subject": subject,
        "edit_form": edit_form,
        "grant_form": grant_form,
        "grants": selectors.grant_list(user=request.user, subject=subject),
    }
    return render(request, "accounts/user_detail.html", context)


@login_required
@require_POST
def grant_revoke(request: HttpRequest, pk: int, grant_id: int) -> HttpResponse:
    _require_manager(request)
    subject = _managed_user(request, pk)
    grant = selectors.grant_list(user=request.user, subject=subject).filter(pk=grant_id).first()
    if grant is None:
        raise Http404
    try:
        services.grant_revoke(actor=request.user, grant=grant)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Grant removed."))
    return redirect("accounts:user_detail", pk=subject.pk)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own page: grants, password, API tokens."""
    password_form = PasswordForm(request.POST if request.POST.get("form") == "password" else None)
    token_form = TokenForm(request.POST if request.POST.get("form") == "token" else None)
    new_key = None
    if request.method == "POST":
        try:
            if request.POST.get("form") == "password" and password_form.is_valid():
                services.user_set_password(
                    actor=request.user,
                    user=request.user,
                    password=password_form.cleaned_data["password"],
                )
                messages.success(request, _("Password changed. Please sign in again."))
                return redirect("accounts:login")
            if request.POST.get("form") == "token" and token_form.is_valid():
                _token, new_key = services.token_create(
                    actor=request.user, user=request.user, name=token_form.cleaned_data["name"]
                )
                token_form = TokenForm()
        except DomainError as exc:
            messages.error(request, str(exc))
    context = {
        "grants": request.user.grants.select_related("area").order_by("area__lft"),
        "password_form": password_form,
        "token_form": token_form,
        "tokens": selectors.token_list(user=request.user),
        "new_key": new_key,
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = selectors.token_list(user=request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:profile")


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, Capability.VIEW_AUDIT):
        raise Http404
    request.nav_section = "audit"  # type: ignore[attr-defined]
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_list(user=request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )

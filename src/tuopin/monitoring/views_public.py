"""The public self-application pages: no sign-in, phone-sized, and abuse-resistant.

They answer the same whatever the registry holds: a submission always gets a tracking
code, and a look-up shows one application's stage only to whoever has both its code and
the applicant's ID number.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tuopin.core.errors import DomainError, ValidationFailed
from tuopin.core.htmx import client_ip
from tuopin.monitoring import selectors, services
from tuopin.monitoring.forms import ApplicationForm, LookupForm

TOO_MANY = 429


def _report(form: ApplicationForm | LookupForm, error: DomainError) -> None:
    errors = error.errors if isinstance(error, ValidationFailed) else [error]
    for each in errors:
        form.add_error(each.field if each.field in form.fields else None, str(each))


@never_cache
def apply(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_submit(
                data=services.ApplicationInput(
                    name=data["name"],
                    id_number=data["id_number"],
                    phone=data["phone"],
                    area_code=data["area"],
                    difficulties=list(data["difficulties"]),
                    description=data["description"],
                    consent=bool(data["consent"]),
                ),
                client_address=client_ip(request),
            )
        except services.RateLimited as exc:
            form.add_error(None, str(exc))
            status = TOO_MANY
        except DomainError as exc:
            _report(form, exc)
        else:
            return render(
                request,
                "monitoring/public/applied.html",
                {"code": application.tracking_code},
            )
    return render(request, "monitoring/public/apply.html", {"form": form}, status=status)


@never_cache
def status(request: HttpRequest) -> HttpResponse:
    """Look up one application. The ID number is never echoed back into the page."""
    form = LookupForm(request.POST or None)
    stage = None
    error = ""
    code = 200
    if request.method == "POST" and form.is_valid():
        try:
            found = services.application_lookup(
                tracking_code=form.cleaned_data["tracking_code"],
                id_number=form.cleaned_data["id_number"],
                client_address=client_ip(request),
            )
        except services.RateLimited as exc:
            error = str(exc)
            code = TOO_MANY
        else:
            if found is None:
                error = _("No application matches this tracking code and ID number.")
            else:
                stage = {
                    "code": found.tracking_code,
                    "submitted": found.created_at,
                    "text": selectors.application_stage(found),
                }
        form = LookupForm(initial={"tracking_code": form.cleaned_data["tracking_code"]})
    return render(
        request,
        "monitoring/public/status.html",
        {"form": form, "stage": stage, "error": error},
        status=code,
    )

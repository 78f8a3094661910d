"""Staff pages for the resident register. Thin: permission, form, service or selector, template."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from core.permissions import has_permission, permission_required, scope
from people import selectors, services
from people.forms import (
    ConsentForm,
    EqualityProfileForm,
    MatchForm,
    PreferencesForm,
    ResidentFilterForm,
    WithdrawConsentForm,
)
from people.models import Area, Consent, EqualityProfile, Resident
from people.record import record_panels

PAGE_SIZE = 50


def _areas(user: object) -> list[Area]:
    return list(scope(Area.objects.filter(level=Area.Level.AREA), user, "resident.view").order_by("name"))


@permission_required("staff.dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    figures = selectors.dashboard_figures(user=request.user)
    return render(request, "people/dashboard.html", {"figures": figures, "active_section": "dashboard"})


@permission_required("resident.view")
def resident_list(request: HttpRequest) -> HttpResponse:
    form = ResidentFilterForm(request.GET or None, areas=_areas(request.user))
    filters = selectors.ResidentFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.ResidentFilters(**{k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
    page = Paginator(selectors.resident_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "query": query.urlencode(),
        "active_section": "residents",
    }
    # A history-restore request (back button after the cache is gone) needs the whole page.
    htmx = request.htmx  # type: ignore[attr-defined]  # set by django_htmx middleware
    partial = htmx and not htmx.history_restore_request
    template = "people/resident_list.html#results" if partial else "people/resident_list.html"
    response = render(request, template, context)
    # The same URL gives a fragment or a page, so caches must tell them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


@permission_required("resident.view")
def resident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resident = selectors.resident_get(user=request.user, pk=pk)
    return render(
        request,
        "people/resident_detail.html",
        {
            "resident": resident,
            "household": selectors.household_members(resident=resident),
            "consents": resident.consents.all(),
            "consent_form": ConsentForm(),
            "match_form": MatchForm(),
            "can_edit": has_permission(request.user, "resident.edit"),
            "can_see_equality": has_permission(request.user, "equality.view"),
            "can_see_history": has_permission(request.user, "resident.history"),
            "panels": record_panels(user=request.user, resident=resident),
            "active_section": "residents",
        },
    )


@permission_required("resident.edit")
def resident_preferences(request: HttpRequest, pk: int) -> HttpResponse:
    resident = selectors.resident_get(user=request.user, pk=pk)
    form = PreferencesForm(
        request.POST or None,
        instance=resident,
        initial={"interests": resident.interests.all(), "format_needs": resident.format_needs.all()},
    )
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k not in ("interests", "format_needs")}
        services.resident_update_preferences(
            resident=resident,
            actor=request.user,
            values=values,
            interests=form.cleaned_data["interests"],
            format_needs=form.cleaned_data["format_needs"],
        )
        messages.success(request, "Contact preferences and interests saved")
        return redirect("people:resident-detail", pk=resident.pk)
    return render(
        request, "people/resident_preferences.html", {"resident": resident, "form": form, "active_section": "residents"}
    )


@require_POST
@permission_required("resident.match")
def resident_match(request: HttpRequest, pk: int) -> HttpResponse:
    resident = selectors.resident_get(user=request.user, pk=pk)
    form = MatchForm(request.POST)
    if form.is_valid():
        try:
            services.resident_match_to_tenancy(
                resident=resident, tenancy_reference=form.cleaned_data["tenancy_reference"], actor=request.user
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field, error)
        else:
            messages.success(request, f"{resident.full_name} is now linked to tenancy {resident.tenancy}")
            return redirect("people:resident-detail", pk=resident.pk)
    return render(
        request, "people/resident_match.html", {"resident": resident, "form": form, "active_section": "residents"}
    )


@require_POST
@permission_required("resident.edit")
def resident_consent(request: HttpRequest, pk: int) -> HttpResponse:
    resident = selectors.resident_get(user=request.user, pk=pk)
    if "consent" in request.POST:
        withdraw = WithdrawConsentForm(request.POST)
        if withdraw.is_valid():
            consent = Consent.objects.filter(resident=resident, pk=withdraw.cleaned_data["consent"]).first()
            if consent is not None:
                services.consent_withdraw(consent=consent, method=withdraw.cleaned_data["method"], actor=request.user)
                messages.success(request, f"Consent withdrawn: {consent.get_purpose_display()}")
        return redirect("people:resident-detail", pk=resident.pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        services.consent_record(resident=resident, actor=request.user, **form.cleaned_data)
        messages.success(request, "Consent recorded")
        return redirect("people:resident-detail", pk=resident.pk)
    return render(
        request, "people/resident_consent.html", {"resident": resident, "form": form, "active_section": "residents"}
    )


@permission_required("equality.view")
def equality_profile(request: HttpRequest, pk: int) -> HttpResponse:
    resident = selectors.resident_get(user=request.user, pk=pk)
    profile = services.equality_profile_read(resident=resident, actor=request.user, path=request.path)
    rows = []
    if profile is not None:
        for name in EqualityProfile.COMPLETENESS_FIELDS:
            field = EqualityProfile._meta.get_field(name)
            value = (
                getattr(profile, f"get_{name}_display")() if getattr(field, "choices", None) else getattr(profile, name)
            )
            rows.append((str(getattr(field, "verbose_name", name)).capitalize(), value))
    response = render(
        request,
        "people/equality_profile.html",
        {"resident": resident, "profile": profile, "rows": rows, "active_section": "residents"},
    )
    response["Cache-Control"] = "no-store"
    return response


@permission_required("equality.edit")
def equality_profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resident = selectors.resident_get(user=request.user, pk=pk)
    profile = services.equality_profile_read(resident=resident, actor=request.user, path=request.path)
    form = EqualityProfileForm(request.POST or None, instance=profile or EqualityProfile(resident=resident))
    if request.method == "POST" and form.is_valid():
        services.equality_profile_update(resident=resident, actor=request.user, values=form.cleaned_data)
        messages.success(request, "Equality information saved")
        return redirect("people:equality-profile", pk=resident.pk)
    response = render(
        request,
        "people/equality_profile_edit.html",
        {"resident": resident, "form": form, "active_section": "residents"},
    )
    response["Cache-Control"] = "no-store"
    return response


# Bookkeeping columns that mean nothing to staff reading a record's history.
_HISTORY_HIDDEN = frozenset({"id", "organisation", "postcode_key", "created_at", "updated_at"})


def _history_value(value: object) -> str:
    text = "" if value is None else str(value)
    return {"None": "", "True": "Yes", "False": "No"}.get(text, text)


def _history_changes(entry: LogEntry) -> list[tuple[str, str, str]]:
    """(field, old, new) for the resident's own fields. Leaves out reverse relations, which
    auditlog lists on create as "people.Consent.None", and fields that stayed blank."""
    labels = {str(f.verbose_name) for f in Resident._meta.concrete_fields if f.name not in _HISTORY_HIDDEN}
    rows = []
    for label, values in entry.changes_display_dict.items():
        if str(label) not in labels or not isinstance(values, list | tuple) or len(values) != 2:
            continue
        old, new = _history_value(values[0]), _history_value(values[1])
        if old or new:
            rows.append((str(label), old, new))
    return rows


@permission_required("resident.history")
def resident_history(request: HttpRequest, pk: int) -> HttpResponse:
    resident = selectors.resident_get(user=request.user, pk=pk)
    entries = list(
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Resident), object_pk=str(resident.pk))
        .select_related("actor", "content_type")
        .order_by("-timestamp")[:200]
    )
    for entry in entries:
        entry.shown_changes = _history_changes(entry)  # type: ignore[attr-defined]
    return render(
        request,
        "people/resident_history.html",
        {"resident": resident, "entries": entries, "active_section": "residents"},
    )


@permission_required("equality.aggregate")
def equality_report(request: HttpRequest) -> HttpResponse:
    tables = [
        (
            getattr(EqualityProfile._meta.get_field(field), "verbose_name", field),
            *selectors.equality_breakdown(user=request.user, field=field),
        )
        for field in selectors.EQUALITY_BREAKDOWN_FIELDS
    ]
    complete, percent = selectors.equality_completeness(user=request.user)
    return render(
        request,
        "people/equality_report.html",
        {"tables": tables, "complete": complete, "percent": percent, "active_section": "dashboard"},
    )

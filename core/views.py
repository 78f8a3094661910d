"""Staff pages for the cross-cutting services: imports, the working-day calendar, the message log
and API tokens. Thin: permission, form, service or selector, template."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import services as account_services
from accounts.models import ApiToken
from core import services
from core.calendar import calendar_for
from core.forms import ApiTokenForm, ClosureDayForm, CommitForm, ImportUploadForm, MappingForm, ReceiptRuleForm
from core.imports import (
    ImportError_,
    batch_check,
    batch_commit,
    batch_create,
    batch_set_mapping,
    get_importer,
    importable_kinds,
    rejected_rows_csv,
)
from core.models import BankHoliday, ClosureDay, ImportBatch, Message
from core.permissions import has_permission, permission_required, scope

PREVIEW_ERRORS = 100


def _batches(request: HttpRequest) -> QuerySet[ImportBatch]:
    """Imports of the kinds this person may import (each importer names its own permission)."""
    kinds = list(importable_kinds(request.user))
    return scope(ImportBatch.objects.all(), request.user, "imports.use").filter(kind__in=kinds)


def _batch(request: HttpRequest, pk: int) -> ImportBatch:
    batch = _batches(request).filter(pk=pk).first()
    if batch is None:
        raise Http404("No import found")
    return batch


@permission_required("imports.use")
def import_list(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None, kinds=importable_kinds(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            batch = batch_create(
                organisation=request.user.organisation,
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
                filename=form.cleaned_data["file"].name,
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages[0])
        else:
            return redirect("core:import-detail", pk=batch.pk)
    batches = _batches(request).select_related("created_by")[:20]
    return render(request, "core/import_list.html", {"form": form, "batches": batches, "active_section": "imports"})


@permission_required("imports.use")
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    importer = get_importer(batch.kind)
    mapping_form = MappingForm(
        request.POST or None, columns=list(importer.columns), headers=batch.headers, initial_mapping=batch.mapping
    )
    if request.method == "POST" and batch.status != ImportBatch.Status.IMPORTED and mapping_form.is_valid():
        batch_set_mapping(batch=batch, mapping=mapping_form.mapping())
        try:
            batch_check(batch=batch, actor=request.user)
        except ImportError_ as exc:
            mapping_form.add_error(None, str(exc))
        else:
            return redirect("core:import-detail", pk=batch.pk)
    context = {
        "batch": batch,
        "importer_label": importer.label,
        "noun": importer.noun,
        "form": mapping_form,
        "commit_form": CommitForm(),
        "errors": batch.row_errors.all()[:PREVIEW_ERRORS],
        "more_errors": max(batch.invalid_rows - PREVIEW_ERRORS, 0),
        "active_section": "imports",
    }
    return render(request, "core/import_detail.html", context)


@require_POST
@permission_required("imports.use")
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    form = CommitForm(request.POST)
    form.is_valid()
    try:
        batch = batch_commit(batch=batch, actor=request.user, valid_only=form.cleaned_data.get("valid_only", False))
    except ImportError_ as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Imported {batch.original_name}: {batch.created_count:,} new, {batch.updated_count:,} changed, "
            f"{batch.unchanged_count:,} unchanged.",
        )
    return redirect("core:import-detail", pk=batch.pk)


@permission_required("imports.use")
def import_rejected(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    response = HttpResponse(rejected_rows_csv(batch=batch), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejected-rows-{batch.pk}.csv"'
    return response


def _calendar_page(request: HttpRequest, *, year: int, form: ClosureDayForm) -> HttpResponse:
    organisation = request.user.organisation
    cal = calendar_for(organisation)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    context = {
        "organisation": organisation,
        "year": year,
        "years": [year - 1, year + 1],
        "holidays": BankHoliday.objects.filter(nation=organisation.nation, date__range=(start, end)),
        "closures": ClosureDay.objects.filter(organisation=organisation, date__range=(start, end)),
        "working_days": cal.working_days_between(start - datetime.timedelta(days=1), end),
        "form": form,
        "can_manage": has_permission(request.user, "calendar.manage"),
        "active_section": "calendar",
    }
    return render(request, "core/calendar.html", context)


def _calendar_url(year: int) -> str:
    return f"{reverse('core:calendar')}?year={year}"


@permission_required("calendar.view")
def calendar(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    return _calendar_page(request, year=min(max(year, 2000), 2040), form=ClosureDayForm())


@require_POST
@permission_required("calendar.manage")
def closure_day_add(request: HttpRequest) -> HttpResponse:
    form = ClosureDayForm(request.POST)
    if form.is_valid():
        try:
            services.closure_day_add(organisation=request.user.organisation, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("date", exc.messages[0])
        else:
            messages.success(request, f"{form.cleaned_data['date']:%-d %B %Y} is now a closure day")
            return redirect(_calendar_url(form.cleaned_data["date"].year))
    year = form.cleaned_data["date"].year if "date" in form.cleaned_data else timezone.localdate().year
    return _calendar_page(request, year=year, form=form)


@permission_required("calendar.manage")
def receipt_rule(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    form = ReceiptRuleForm(
        request.POST or None,
        initial={
            "office_opens": organisation.office_opens,
            "office_closes": organisation.office_closes,
            "receipt_day_is_day_zero": str(organisation.receipt_day_is_day_zero),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.receipt_rule_update(organisation=organisation, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("office_closes", exc.messages[0])
        else:
            messages.success(request, "Office hours and counting rule saved")
            return redirect("core:calendar")
    return render(request, "core/receipt_rule.html", {"form": form, "active_section": "calendar"})


@require_POST
@permission_required("calendar.manage")
def closure_day_remove(request: HttpRequest, pk: int) -> HttpResponse:
    closure = get_object_or_404(ClosureDay, pk=pk, organisation_id=request.user.organisation_id)
    services.closure_day_remove(closure_day=closure, actor=request.user)
    messages.success(request, f"{closure.date:%-d %B %Y} is a working day again")
    return redirect(_calendar_url(closure.date.year))


@permission_required("messages.view")
def message_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    qs = scope(Message.objects.all(), request.user, "messages.view")
    if status in Message.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/message_list.html",
        {"page": page, "status": status, "statuses": Message.Status.choices, "active_section": "messages"},
    )


@permission_required("api.token.manage")
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _, new_token = account_services.api_token_create(actor=request.user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user__organisation_id=request.user.organisation_id).select_related("user")
    response = render(
        request,
        "core/api_tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token, "active_section": "account"},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@permission_required("api.token.manage")
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user__organisation_id=request.user.organisation_id)
    account_services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"Token “{token.name}” revoked")
    return redirect("core:api-tokens")

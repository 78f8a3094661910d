"""Performance pages: every measure of the local offer for a chosen period, area and category,
each measure's trend (a chart drawn on the server as SVG, with a table of the same numbers),
the records that missed and the open ones already past due; thresholds; residents' comments
and remedial actions.

Two sets of the same pages: staff (performance.view) under staff/performance/, and members
of monitoring groups (performance.monitor) under your-groups/performance/. Members see the
results, comments and actions but not the record-by-record lists (they name homes)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Role
from core.calendar import calendar_for
from core.forms import show_service_errors
from core.permissions import has_permission, permission_required
from core.requests import user_organisation
from performance import selectors, services
from performance.forms import CloseActionForm, CommentForm, RemedialActionForm, ThresholdsForm
from performance.models import RemedialAction
from standards.models import Measure

SECTION = "performance"
TREND_MONTHS = 12


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context.setdefault("active_section", SECTION if not context.get("monitor") else "our-performance")
    return render(request, f"performance/{template}", context)


def _monitor_groups(request: HttpRequest) -> list[Any]:
    """The groups a resident monitors for. Staff with performance.monitor need none. A resident
    whose account is not linked to a resident record gets 404 (as on their groups' pages);
    one who is linked but in no monitoring group gets 403."""
    user: Any = request.user
    if user.role != Role.INVOLVED_RESIDENT:
        return []
    groups = selectors.monitoring_groups(user=user)
    if not groups:
        from groups.selectors import resident_for

        if resident_for(user) is None:
            raise Http404("Your account is not linked to a resident")
        raise PermissionDenied("These pages are for members of tenant review groups and the scrutiny panel.")
    return groups


# --- Filters ----------------------------------------------------------------------------------------


def _month_choices(today: datetime.date, months: int = 48) -> list[tuple[str, str]]:
    first = selectors.month_start(today)
    return [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in (selectors.add_months(first, -i) for i in range(months))]


def _filters(request: HttpRequest, organisation: Any) -> dict[str, Any]:
    today = timezone.localdate()
    period = selectors.period_from_query(request.GET, today)
    areas = selectors.area_choices(organisation=organisation)
    categories = selectors.categories_of(organisation=organisation)
    try:
        area_id: int | None = int(request.GET.get("area", ""))
    except ValueError:
        area_id = None
    if area_id not in {pk for pk, _ in areas}:
        area_id = None
    category = request.GET.get("category") or None
    if category not in categories:
        category = None
    params = period.query()
    if area_id:
        params["area"] = str(area_id)
    if category:
        params["category"] = category
    fy = selectors.financial_year_start(today)
    return {
        "period": period,
        "area_id": area_id,
        "area_name": dict(areas).get(area_id) if area_id else "",
        "category": category,
        "areas": areas,
        "categories": categories,
        "months": _month_choices(today),
        "years": [(str(y), f"{y}/{str(y + 1)[-2:]}") for y in range(fy, fy - 6, -1)],
        "query": urlencode(params),
        "period_kinds": [
            ("month", "Month"),
            ("quarter", "Quarter (April to June is quarter 1)"),
            ("year", "Financial year (April to March)"),
            ("custom", "Custom: from and to"),
        ],
        "selected": {
            "period": period.kind,
            "month": f"{period.start:%Y-%m}",
            "year": str(period.start.year),
            "from": f"{period.start:%Y-%m}",
            "to": f"{period.end:%Y-%m}",
        },
    }


# --- Chart ------------------------------------------------------------------------------------------

CHART_WIDTH, CHART_HEIGHT, LEFT, BOTTOM, TOP = 640, 260, 48, 40, 16


def chart(measure: Measure, points: list[selectors.TrendPoint]) -> dict[str, Any]:
    """Bar positions for the trend chart, in SVG user units: one bar per month, the target of
    each month as a short line across its bar. Percentages are drawn on 0 to 100; counts and
    rates on 0 to the largest value or target."""
    values = [p.value for p in points if p.value is not None] + [p.target for p in points if p.target is not None]
    top = Decimal(100) if measure.is_percentage else max(values + [Decimal(1)])
    plot_h = CHART_HEIGHT - BOTTOM - TOP
    slot = (CHART_WIDTH - LEFT) / max(len(points), 1)

    def y(v: Decimal) -> float:
        return TOP + plot_h - float(v / top) * plot_h

    bars = []
    for i, p in enumerate(points):
        x = LEFT + i * slot
        bar: dict[str, Any] = {
            "x": round(x + slot * 0.15, 1),
            "width": round(slot * 0.7, 1),
            "label_x": round(x + slot / 2, 1),
            "label": f"{p.month:%b}",
            "year": f"{p.month:%y}" if i == 0 or p.month.month == 1 else "",
            "point": p,
        }
        if p.value is not None:
            bar["y"] = round(y(p.value), 1)
            bar["height"] = round(TOP + plot_h - bar["y"], 1)
        if p.target is not None and p.target <= top:
            bar["target_y"] = round(y(p.target), 1)
            bar["target_x2"] = round(x + slot * 0.95, 1)
            bar["target_x1"] = round(x + slot * 0.05, 1)
        bars.append(bar)
    ticks = [Decimal(0), top / 2, top]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": LEFT,
        "baseline": TOP + plot_h,
        "label_y": CHART_HEIGHT - BOTTOM + 16,
        "year_y": CHART_HEIGHT - BOTTOM + 32,
        "bars": bars,
        "ticks": [
            {"y": round(y(t), 1), "label": f"{t.normalize():f}{'%' if measure.is_percentage else ''}"} for t in ticks
        ],
    }


# --- Overview and a measure -------------------------------------------------------------------------


def _overview(request: HttpRequest, *, monitor: bool, groups: list[Any] | None = None) -> HttpResponse:
    organisation = user_organisation(request)
    f = _filters(request, organisation)
    points = selectors.amber_points_for(organisation)
    results, milestones = selectors.overview(
        organisation=organisation,
        period=f["period"],
        area_id=f["area_id"],
        category=f["category"],
        amber_points=points,
    )
    sections: dict[Any, dict[str, list[Any]]] = {}
    for r in results:
        sections.setdefault(r.measure.commitment.service_area, {"results": [], "milestones": []})["results"].append(r)
    for m in milestones:
        sections.setdefault(m.commitment.service_area, {"results": [], "milestones": []})["milestones"].append(m)
    return _page(
        request,
        "overview.html",
        {
            **f,
            "sections": sorted(sections.items(), key=lambda kv: (kv[0].position, kv[0].name)),
            "monitor": monitor,
            "groups": groups or [],
            "refreshed_at": selectors.last_refreshed(organisation=organisation),
            "can_refresh": not monitor and has_permission(request.user, "performance.import"),
            "can_set_thresholds": not monitor and has_permission(request.user, "standards.manage"),
            "amber_points": points,
        },
    )


@permission_required("performance.view")
def overview(request: HttpRequest) -> HttpResponse:
    return _overview(request, monitor=False)


@permission_required("performance.monitor")
def monitor_overview(request: HttpRequest) -> HttpResponse:
    groups = _monitor_groups(request)
    return _overview(request, monitor=True, groups=groups)


def _measure(request: HttpRequest, pk: int, *, monitor: bool, groups: list[Any] | None = None) -> HttpResponse:
    organisation = user_organisation(request)
    measure = selectors.measure_for(organisation=organisation, pk=pk)
    f = _filters(request, organisation)
    period, area_id, category = f["period"], f["area_id"], f["category"]
    points = selectors.amber_points_for(organisation)
    (result,) = selectors.measure_results(
        organisation=organisation,
        start=period.start,
        end=period.end,
        area_id=area_id,
        category=category,
        amber_points=points,
        measures=[measure],
    )
    # Twelve months, or the whole of a longer custom period up to five years.
    months = min(max(TREND_MONTHS, len(period.months)), 60)
    trend = selectors.measure_trend(
        organisation=organisation, measure=measure, end=period.end, months=months, area_id=area_id, category=category
    )
    calendar = calendar_for(organisation) if selectors.has_records(measure) else None
    missed = selectors.misses(
        measure=measure,
        period=period,
        area_id=area_id,
        category=category,
        page=request.GET.get("page", 1),
        calendar=calendar,
    )
    risk = selectors.at_risk(
        measure=measure,
        area_id=area_id,
        category=category,
        page=request.GET.get("open_page", 1),
        calendar=calendar,
    )
    comments, actions = selectors.comments_and_actions(measure=measure)
    by_area = selectors.results_by(
        organisation=organisation, measure=measure, period=period, by="area", amber_points=points
    )
    by_category = (
        selectors.results_by(
            organisation=organisation, measure=measure, period=period, by="category", amber_points=points
        )
        if measure.subject != "planned_work" and measure.kind != "sample"
        else []
    )
    can_remedy = not monitor and has_permission(request.user, "performance.remedy")
    return _page(
        request,
        "measure.html",
        {
            **f,
            "measure": measure,
            "result": result,
            "trend": trend,
            "chart": chart(measure, trend),
            "missed": missed,
            "by_area": by_area,
            "by_category": by_category,
            "breakdowns": [("area", by_area), ("category", by_category)],
            "risk": risk,
            "comments": comments,
            "actions": actions,
            "monitor": monitor,
            "comment_form": CommentForm(groups=groups or [])
            if has_permission(request.user, "performance.monitor")
            else None,
            "can_remedy": can_remedy,
            "can_open_action": can_remedy and result.met is False,
        },
    )


@permission_required("performance.view")
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _measure(request, pk, monitor=False)


@permission_required("performance.monitor")
def monitor_measure(request: HttpRequest, pk: int) -> HttpResponse:
    groups = _monitor_groups(request)
    return _measure(request, pk, monitor=True, groups=groups)


# --- Writes -----------------------------------------------------------------------------------------


@require_POST
@permission_required("performance.import")
def refresh(request: HttpRequest) -> HttpResponse:
    """Work the figures out again. performance.import, not performance.remedy: refreshing
    finishes loading records (figures are counts of what was loaded), so the people who load
    them do it; it changes no judgement of its own."""
    result = services.performance_refresh(organisation=user_organisation(request), actor=request.user)
    messages.success(
        request,
        f"Figures worked out again: {result.figures:,} monthly figures for {result.measures} measures "
        f"in {result.seconds:.1f} seconds.",
    )
    return redirect("performance:overview")


@permission_required("standards.manage")
def thresholds(request: HttpRequest) -> HttpResponse:
    """standards.manage: where amber ends is part of how results against targets are judged,
    so the people who set targets set it."""
    organisation = user_organisation(request)
    form = ThresholdsForm(request.POST or None, initial={"amber_points": selectors.amber_points_for(organisation)})
    if request.method == "POST" and form.is_valid():
        try:
            services.rag_thresholds_set(
                organisation=organisation, actor=request.user, amber_points=form.cleaned_data["amber_points"]
            )
        except ValidationError as exc:
            show_service_errors(form, exc, "amber_points")
        else:
            messages.success(request, "Red, amber and green thresholds saved.")
            return redirect("performance:overview")
    return _page(request, "thresholds.html", {"form": form})


@permission_required("performance.monitor")
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Comment on a measure's result for the period in the query string. Members of monitoring
    groups come back to their pages; officers to the staff pages."""
    groups = _monitor_groups(request)
    organisation = user_organisation(request)
    measure = selectors.measure_for(organisation=organisation, pk=pk)
    f = _filters(request, organisation)
    monitor = bool(groups)
    form = CommentForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_comment_add(
                measure=measure,
                actor=request.user,
                period_start=f["period"].start,
                period_end=f["period"].end,
                text=form.cleaned_data["text"],
                group=form.chosen_group(),
            )
        except ValidationError as exc:
            show_service_errors(form, exc, "text")
        else:
            messages.success(request, "Thank you. Your comment has been added.")
            name = "performance:monitor-measure" if monitor else "performance:measure"
            return redirect(reverse(name, args=[measure.pk]) + "?" + f["query"])
    return _page(request, "comment_form.html", {**f, "form": form, "measure": measure, "monitor": monitor})


@permission_required("performance.remedy")
def action_open(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = user_organisation(request)
    measure = selectors.measure_for(organisation=organisation, pk=pk)
    f = _filters(request, organisation)
    form = RemedialActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.remedial_action_open(
                measure=measure,
                actor=request.user,
                period_start=f["period"].start,
                period_end=f["period"].end,
                description=data["description"],
                owner=data["owner"],
                due_on=data["due_on"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Remedial action opened.")
            return redirect(reverse("performance:measure", args=[measure.pk]) + "?" + f["query"])
    return _page(request, "action_form.html", {**f, "form": form, "measure": measure})


@permission_required("performance.remedy")
def action_close(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.remedial_action_for(organisation=user_organisation(request), pk=pk)
    form = CloseActionForm(request.POST or None)
    if action.status == RemedialAction.Status.DONE:
        messages.info(request, "That action is already closed.")
        return redirect("performance:measure", pk=action.measure_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.remedial_action_close(action=action, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            show_service_errors(form, exc, "note")
        else:
            messages.success(request, "Remedial action closed.")
            return redirect("performance:measure", pk=action.measure_id)
    return _page(request, "action_close.html", {"form": form, "action": action})

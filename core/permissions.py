"""The one permission policy. Every view, API endpoint and selector asks it.

A permission is an *action* name ("resident.view"). Roles map to actions here and nowhere
else. Scope is separate from permission: a user sees records of their own organisation, and a
partnership viewer sees those of every member of their partnership.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse

from accounts.models import Role

ADMIN = Role.ADMINISTRATOR
OFFICER = Role.INVOLVEMENT_OFFICER
MANAGER = Role.MANAGER
PARTNERSHIP = Role.PARTNERSHIP_VIEWER
INVOLVED = Role.INVOLVED_RESIDENT
RESIDENT = Role.RESIDENT

STAFF = frozenset({ADMIN, OFFICER, MANAGER, PARTNERSHIP})

# action -> roles allowed. Keep this table the single source of truth; docs/permissions.md mirrors it.
POLICY: dict[str, frozenset[str]] = {
    "staff.dashboard": STAFF,
    "resident.view": STAFF,
    "resident.edit": frozenset({ADMIN, OFFICER}),
    "resident.match": frozenset({ADMIN, OFFICER}),
    "resident.import": frozenset({ADMIN, OFFICER}),
    # The import pages; each kind of file also needs its importer's own action (resident.import,
    # performance.import), so a person sees and opens only the kinds they may import.
    "imports.use": frozenset({ADMIN, OFFICER, MANAGER}),
    "resident.history": frozenset({ADMIN, MANAGER}),
    # Special-category data: only the roles that analyse need-to-reach and correct records.
    "equality.view": frozenset({ADMIN, MANAGER}),
    "equality.edit": frozenset({ADMIN, MANAGER}),
    "equality.aggregate": frozenset({ADMIN, MANAGER, PARTNERSHIP}),
    "calendar.view": STAFF,
    "calendar.manage": frozenset({ADMIN}),
    "messages.view": frozenset({ADMIN, OFFICER, MANAGER}),
    "api.token.manage": frozenset({ADMIN}),
    # --- groups: the involvement structure, recognition and meetings ---
    "group.view": STAFF,
    "group.manage": frozenset({ADMIN, OFFICER}),
    # Recognising an association is a decision with money attached (grant eligibility).
    "group.recognise": frozenset({ADMIN, MANAGER}),
    "meeting.manage": frozenset({ADMIN, OFFICER}),
    # Members reading their groups' papers and commenting (object-level: only their own groups).
    "group.papers": frozenset({ADMIN, OFFICER, MANAGER, INVOLVED}),
    # --- end groups ---
    # --- opportunities: the menu of involvement, opportunities and task-and-finish ---
    "menu.manage": frozenset({ADMIN, OFFICER}),
    "opportunity.view": STAFF,
    "opportunity.manage": frozenset({ADMIN, OFFICER}),
    # A signed-in resident's own invitations and time given.
    "involvement.own": frozenset({INVOLVED, RESIDENT}),
    # --- end opportunities ---
    # --- inspections: mystery shopping, walkabouts and tenant-led inspections ---
    "inspection.view": STAFF,
    "inspection.manage": frozenset({ADMIN, OFFICER}),
    # Trained residents filling in the assessments and findings they were assigned (object-level).
    "inspection.take_part": frozenset({ADMIN, OFFICER, INVOLVED}),
    # --- end inspections ---
    # --- budgeting: participatory budgeting for estate improvement money ---
    "fund.view": STAFF,
    "fund.manage": frozenset({ADMIN, OFFICER}),
    # Deciding which ideas get the money, from the votes.
    "fund.decide": frozenset({ADMIN, MANAGER}),
    # --- end budgeting ---
    # --- standards: local offers, measures and milestones ---
    "standards.view": STAFF,
    # Targets are promises agreed with residents: managers change them, not every officer.
    "standards.manage": frozenset({ADMIN, MANAGER}),
    "milestone.update": frozenset({ADMIN, OFFICER, MANAGER}),
    # --- end standards ---
    # --- tsm: Tenant Satisfaction Measures and peer benchmarking ---
    "tsm.view": STAFF,
    "tsm.manage": frozenset({ADMIN}),
    # --- end tsm ---
    # --- performance: operational records, local-offer results, the TSM return ---
    "performance.view": STAFF,
    # Loading repairs, ASB and other records from the housing systems.
    "performance.import": frozenset({ADMIN, OFFICER, MANAGER}),
    # Tenant review groups and the scrutiny panel monitor the figures (object-level: their groups).
    "performance.monitor": frozenset({ADMIN, OFFICER, MANAGER, INVOLVED}),
    "performance.remedy": frozenset({ADMIN, OFFICER, MANAGER}),
    # --- end performance ---
    # --- complaints: concerns, complaints, compliments and comments ---
    "complaints.view": STAFF,
    # Receiving, acknowledging, answering, extending and escalating cases.
    "complaints.handle": frozenset({ADMIN, OFFICER, MANAGER}),
    # The procedures themselves: stages, timescales and routes.
    "complaints.manage": frozenset({ADMIN, MANAGER}),
    # A signed-in resident's own cases: raising them, following them, asking to escalate.
    "complaints.own": frozenset({INVOLVED, RESIDENT}),
    # --- end complaints ---
    # --- surveys: consultations, surveys and quick polls ---
    "survey.view": STAFF,
    # Building, publishing, inviting, entering paper and telephone answers, tagging, summaries.
    "survey.manage": frozenset({ADMIN, OFFICER}),
    # A signed-in resident's own survey invitations.
    "survey.own": frozenset({INVOLVED, RESIDENT}),
    # Publishing the TSM perception survey's results: regulatory figures, signed off by a manager.
    "perception.publish": frozenset({ADMIN, MANAGER}),
    # --- end surveys ---
    # --- scrutiny: tenant-led service reviews ---
    "scrutiny.view": frozenset({ADMIN, OFFICER, MANAGER, PARTNERSHIP, INVOLVED}),
    # Proposing and scoping reviews, their plan, sending the report (staff supporting the panel).
    "scrutiny.manage": frozenset({ADMIN, OFFICER}),
    # Evidence and recommendations: staff, and involved residents who are members of the panel.
    "scrutiny.contribute": frozenset({ADMIN, OFFICER, INVOLVED}),
    # The landlord's formal response to each recommendation, and the actions it agrees.
    "scrutiny.respond": frozenset({ADMIN, MANAGER}),
    # --- end scrutiny ---
    "account.security": frozenset({ADMIN, OFFICER, MANAGER, PARTNERSHIP, INVOLVED, RESIDENT}),
}

# Actions that may be performed across a partnership rather than only in one's own organisation.
CROSS_ORGANISATION_ACTIONS = frozenset({"staff.dashboard", "resident.view", "equality.aggregate", "calendar.view"})


def has_permission(user: Any, action: str) -> bool:
    if action not in POLICY:
        raise KeyError(f"Unknown action {action!r}: add it to core.permissions.POLICY")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.role in POLICY[action]


def visible_organisation_ids(user: Any, action: str = "resident.view") -> list[int]:
    """The organisations whose records this user may see for this action."""
    if not has_permission(user, action) or user.organisation_id is None:
        return []
    if user.role == PARTNERSHIP and action in CROSS_ORGANISATION_ACTIONS:
        partnership_id = user.organisation.partnership_id
        if partnership_id is not None:
            from accounts.models import Organisation

            return list(Organisation.objects.filter(partnership_id=partnership_id).values_list("id", flat=True))
    return [user.organisation_id]


M = TypeVar("M", bound=Model)


def scope(queryset: QuerySet[M], user: Any, action: str, *, field: str = "organisation") -> QuerySet[M]:
    """Filter a queryset to what the user may see; empty when they may see nothing."""
    ids = visible_organisation_ids(user, action)
    if not ids:
        return queryset.none()
    if len(ids) == 1:
        return queryset.filter(**{f"{field}_id": ids[0]})
    return queryset.filter(**{f"{field}_id__in": ids})


def can_act_on(user: Any, action: str, obj: Any) -> bool:
    return has_permission(user, action) and getattr(obj, "organisation_id", None) in visible_organisation_ids(
        user, action
    )


V = TypeVar("V", bound=Callable[..., HttpResponse])


def needs_second_step(request: HttpRequest) -> bool:
    """True when the user has set up two-factor sign-in but has not entered a code this session."""
    from django_otp import user_has_device

    user = request.user
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified is not None and not is_verified() and user_has_device(user))


def permission_required(action: str, *, unverified_ok: bool = False) -> Callable[[V], V]:
    """Guard a view. Anonymous users go to sign-in; signed-in users without the action get 403;
    users with two-factor sign-in who have not yet entered their code go to the code page.

    The action is recorded on the view so the role-matrix test can find unguarded views."""
    if action not in POLICY:
        raise KeyError(f"Unknown action {action!r}")

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not unverified_ok and needs_second_step(request):
                return redirect_to_login(request.get_full_path(), login_url="accounts:verify")
            if not has_permission(request.user, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.involve_action = action  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def public(view: V) -> V:
    """Mark a view as deliberately open to everyone (the role-matrix test checks for a mark)."""
    view.involve_action = "public"  # type: ignore[attr-defined]
    return view

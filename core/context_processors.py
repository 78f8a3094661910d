from django.http import HttpRequest

from core.navigation import staff_navigation
from core.permissions import has_permission

# The actions templates may ask about, as `can.<action with dots as underscores>`.
TEMPLATE_ACTIONS = (
    "staff.dashboard",
    "resident.view",
    "resident.import",
    "imports.use",
    "calendar.view",
    "calendar.manage",
    "messages.view",
    "equality.view",
    "equality.edit",
    "equality.aggregate",
    "api.token.manage",
    "group.view",
    "group.manage",
    "group.recognise",
    "meeting.manage",
    "group.papers",
    "menu.manage",
    "opportunity.view",
    "opportunity.manage",
    "involvement.own",
    "inspection.view",
    "inspection.manage",
    "inspection.take_part",
    "complaints.own",
    "survey.own",
    "survey.manage",
    "perception.publish",
    "fund.view",
    "fund.manage",
    "fund.decide",
    "standards.view",
    "standards.manage",
    "milestone.update",
    "tsm.view",
    "tsm.manage",
    "performance.view",
    "performance.import",
    "performance.monitor",
    "performance.remedy",
)


def navigation(request: HttpRequest) -> dict[str, object]:
    user = request.user
    can = {}
    if user.is_authenticated:
        can = {action.replace(".", "_"): has_permission(user, action) for action in TEMPLATE_ACTIONS}
    staff_nav = staff_navigation(user) if can.get("staff_dashboard") else []
    return {"can": can, "staff_nav": staff_nav, "service_name": "Involve"}

from django.http import HttpRequest

from core.permissions import has_permission


def navigation(request: HttpRequest) -> dict[str, object]:
    user = request.user
    can = {}
    if user.is_authenticated:
        can = {
            action.replace(".", "_"): has_permission(user, action)
            for action in (
                "staff.dashboard",
                "resident.view",
                "resident.import",
                "calendar.view",
                "messages.view",
                "equality.aggregate",
                "equality.edit",
                "api.token.manage",
            )
        }
    return {"can": can, "service_name": "Involve"}

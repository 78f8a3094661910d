"""iCalendar feeds of meetings (RFC 5545), written with the icalendar library."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from groups.models import Meeting

PRODID = "-//Involve//Groups and meetings//EN"


def _location(meeting: Meeting) -> str:
    if meeting.venue is not None:
        parts = [meeting.venue.name, meeting.venue.address, meeting.venue.postcode]
        return ", ".join(p for p in parts if p)
    return "Online" if meeting.online_link else ""


def _description(meeting: Meeting, link: str) -> str:
    lines = []
    if meeting.venue is not None and meeting.venue.access_features:
        lines.append("Access: " + ", ".join(meeting.venue.access_features) + ".")
    if meeting.online_link:
        lines.append(f"Join online: {meeting.online_link}")
    if link:
        lines.append(f"Details: {link}")
    return "\n".join(lines)


def feed(meetings: Iterable[Meeting], *, name: str, host: str, link_for: dict[int, str] | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(datetime.UTC)
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.starts_at.astimezone(datetime.UTC))
        event.add("dtend", meeting.ends_at.astimezone(datetime.UTC))
        title = f"{meeting.group.name}: {meeting.get_kind_display().lower()}"
        event.add("summary", title)
        event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
        location = _location(meeting)
        if location:
            event.add("location", location)
        description = _description(meeting, (link_for or {}).get(meeting.pk, ""))
        if description:
            event.add("description", description)
        cal.add_component(event)
    return cal.to_ical()


def feed_response(content: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Secret addresses must not be cached by shared caches.
    response["Cache-Control"] = "private, max-age=900"
    return response

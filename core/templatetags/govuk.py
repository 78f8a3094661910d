"""Render Django form fields with GOV.UK Design System markup, and dates and times in GOV.UK style."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms, template
from django.template.loader import render_to_string
from django.utils import timezone

register = template.Library()


def _kind(widget: forms.Widget) -> str:
    # CheckboxSelectMultiple subclasses RadioSelect, so it must be tested first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    return "input"


@register.simple_tag
def govuk_field(field: forms.BoundField, **options: Any) -> str:
    """Options: label_class (e.g. 'govuk-label--m'), width (e.g. 'govuk-input--width-10'), legend_is_heading."""
    kind = _kind(field.field.widget)
    context: dict[str, Any] = {
        "field": field,
        "options": options,
        "input_type": getattr(field.field.widget, "input_type", "text"),
    }
    if kind in ("radios", "checkboxes"):
        # A blank choice makes no sense as a radio; dropping it keeps ids -1, -2… so the
        # error summary's link to "-1" always lands on the first option.
        context["choices"] = [(v, label) for v, label in field.field.choices if str(v) != ""]
    return render_to_string(f"includes/fields/{kind}.html", context)


@register.filter
def field_value(field: forms.BoundField) -> Any:
    value = field.value()
    return "" if value is None else value


@register.filter
def is_checked(choice_value: Any, field: forms.BoundField) -> bool:
    value = field.value()
    if value is None:
        return False
    if isinstance(value, list | tuple | set):
        return str(choice_value) in {str(v) for v in value}
    return str(choice_value) == str(value)


@register.filter
def govuk_time(value: Any) -> str:
    """A time as the GOV.UK style guide writes it: 6pm, 5:30pm, midday, midnight (Django's "a"
    format gives "6:00 p.m." in British English). Aware datetimes are shown in UK local time."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.time()
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"

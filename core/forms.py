from __future__ import annotations

import datetime
import re
import secrets
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from core.imports.base import registered
from core.uploads import check_attachment

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"]
DATE_HINT = "For example, 27 3 2026 or 2026-03-27"
TIME_RE = re.compile(r"^(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ampm>am|pm)?$", re.IGNORECASE)


def date_field(label: str, *, required: bool = True, help_text: str = DATE_HINT, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": f"Enter a real date. {DATE_HINT}", "required": f"Enter the {label.lower()}"},
        **kwargs,
    )


class TimeField(forms.CharField):
    """A time typed the way people write it: 18:30, 6.30pm, 6pm."""

    def to_python(self, value: Any) -> datetime.time | None:  # type: ignore[override]
        text = (super().to_python(value) or "").strip().lower().replace(" ", "")
        if not text:
            return None
        match = TIME_RE.match(text)
        if not match:
            raise forms.ValidationError("Enter a time like 18:30 or 6:30pm")
        hour, minute, ampm = int(match["h"]), int(match["m"] or 0), match["ampm"]
        if ampm:
            if not 1 <= hour <= 12:
                raise forms.ValidationError("Enter a time like 18:30 or 6:30pm")
            hour = hour % 12 + (12 if ampm == "pm" else 0)
        if hour > 23 or minute > 59:
            raise forms.ValidationError("Enter a real time, like 18:30 or 6:30pm")
        return datetime.time(hour, minute)


class OnceForm(forms.Form):
    """Carries a one-time key, so a double-submitted form makes one record (see services._once).

    `id_prefix` keeps ids unique when several forms share a page (the field names stay the same)."""

    submission_key = forms.CharField(widget=forms.HiddenInput, required=False)
    id_prefix = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", secrets.token_urlsafe(24))


def check_upload(upload: Any) -> Any:
    """Refuse a file that is not what it claims to be before anything is saved (core.uploads)."""
    if upload is None:
        return upload
    try:
        check_attachment(upload)
    except ValidationError as exc:
        raise forms.ValidationError(exc.messages) from None
    return upload


UPLOAD_TYPES = (".csv", ".xlsx")
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label="What the file contains", widget=forms.RadioSelect)
    file = forms.FileField(
        label="Upload a file",
        help_text="A CSV or Excel (.xlsx) file exported from your housing system, up to 50 MB. "
        "Bigger files can be loaded with the import_data command.",
    )

    def __init__(self, *args: Any, kinds: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = registered() if kinds is None else kinds
        self.fields["kind"].choices = [(kind, imp.label) for kind, imp in sorted(kinds.items())]  # type: ignore[attr-defined]
        if len(self.fields["kind"].choices) == 1:  # type: ignore[attr-defined]
            self.fields["kind"].initial = self.fields["kind"].choices[0][0]  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(UPLOAD_TYPES):
            raise forms.ValidationError("The selected file must be a CSV or an Excel (.xlsx) file")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 50 MB")
        if upload.size == 0:
            raise forms.ValidationError("The selected file is empty")
        return upload


class MappingForm(forms.Form):
    """One select per importer column, listing the file's headers."""

    def __init__(
        self, *args: Any, columns: list[Any], headers: list[str], initial_mapping: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Not in this file"), *((h, h) for h in headers)]
        for column in columns:
            self.fields[f"col_{column.name}"] = forms.ChoiceField(
                label=column.label,
                choices=choices,
                required=column.required,
                initial=initial_mapping.get(column.name, ""),
                help_text=column.help,
                error_messages={"required": f"Choose the column in your file that holds {column.label.lower()}"},
            )

    def mapping(self) -> dict[str, str]:
        return {name[4:]: value for name, value in self.cleaned_data.items() if name.startswith("col_") and value}


class CommitForm(forms.Form):
    valid_only = forms.BooleanField(
        required=False, label="Import only the valid rows and leave out the rows with errors"
    )


class ClosureDayForm(forms.Form):
    date = forms.DateField(
        label="Date",
        help_text="For example, 29 12 2026 or 2026-12-29",
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"],
    )
    reason = forms.CharField(label="Reason", max_length=200, help_text="For example, Christmas shutdown")


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="What the token is for", max_length=100, help_text="For example, Housing system nightly sync"
    )


class ReceiptRuleForm(forms.Form):
    office_opens = forms.TimeField(label="Office opens", help_text="For example, 09:00")
    office_closes = forms.TimeField(
        label="Office closes", help_text="Anything received at or after this time counts from the next working day"
    )
    receipt_day_is_day_zero = forms.TypedChoiceField(
        label="How do you count the day something is received?",
        choices=[("True", "It is day 0: the next working day is day 1"), ("False", "It is day 1")],
        coerce=lambda v: v == "True",
        widget=forms.RadioSelect,
    )


def show_service_errors(form: forms.BaseForm, exc: ValidationError, default_field: str | None = None) -> None:
    """Show a service's ValidationError against the form field it names, or at the top of the
    form (or against `default_field`): services say what is wrong, views only show it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else default_field
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.messages:
            form.add_error(default_field, error)

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from core.imports.base import registered

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

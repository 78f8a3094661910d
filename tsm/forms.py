"""Forms for the tsm app: load the regulator's dataset, and choose which landlord we are."""

from __future__ import annotations

from typing import Any

from django import forms

from core.uploads import check_attachment

DATASET_MAX_BYTES = 20 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DatasetUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the regulator's TSM dataset",
        help_text="The 'TSM Full Data' Excel (.xlsx) file from the Regulator of Social Housing, up to 20 MB.",
        error_messages={"required": "Choose the dataset file to upload"},
    )
    reporting_year = forms.IntegerField(
        label="Year the reporting year ends (optional)",
        help_text="For example 2024 for 1 April 2023 to 31 March 2024. Leave blank to read it from the file.",
        required=False,
        min_value=2020,
        max_value=2100,
        error_messages={"invalid": "Enter a year, like 2024", "min_value": "Enter a year from 2020 onwards"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        checked = check_attachment(upload, max_bytes=DATASET_MAX_BYTES)  # by content, not by name
        if checked.content_type != XLSX:
            raise forms.ValidationError("The selected file must be an Excel (.xlsx) workbook")
        return upload


class ProfileForm(forms.Form):
    provider_code = forms.ChoiceField(
        label="Which landlord in the regulator's dataset is this organisation?",
        help_text="Landlords with 1,000 or more homes, by name and registered provider code.",
        required=False,
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider_code"].choices = [("", "Not chosen"), *choices]  # type: ignore[attr-defined]


class CompareForm(forms.Form):
    """Which peer group to list on a measure's page (a GET form: works without JavaScript)."""

    peers = forms.ChoiceField(label="Compare with", widget=forms.RadioSelect, required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["peers"].choices = choices  # type: ignore[attr-defined]


class ReturnYearForm(forms.Form):
    """Which reporting year's TSM return to show (a GET form: works without JavaScript)."""

    year = forms.TypedChoiceField(
        label="Reporting year",
        coerce=int,
        error_messages={
            "invalid_choice": "Choose a reporting year from the list",
            "required": "Choose a reporting year",
        },
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            (str(y), f"{y}/{str(y + 1)[-2:]} (1 April {y} to 31 March {y + 1})") for y in years
        ]

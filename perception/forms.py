from __future__ import annotations

from typing import Any

from django import forms

from core.forms import OnceForm, date_field
from perception.models import Exclusion, PerceptionSurvey, Population


class StartForm(OnceForm):
    year_starting = forms.TypedChoiceField(label="Reporting year", coerce=int, choices=[],
                                           error_messages={"required": "Choose the reporting year"})  # fmt: skip
    carried_out_by = forms.CharField(
        label="Who is carrying it out (optional)",
        required=False,
        max_length=200,
        help_text="The research organisation's name. Leave blank if your own staff are doing it.",
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year_starting"].choices = [(y, f"1 April {y} to 31 March {y + 1}") for y in years]


class DetailsForm(forms.Form):
    carried_out_by = forms.CharField(label="Who carried it out", required=False, max_length=200,
                                     help_text="Leave blank if your own staff did.")  # fmt: skip
    contractor_role = forms.CharField(label="What they did", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                      help_text="For example: drew the sample, carried out the interviews and "
                                      "analysed the results.")  # fmt: skip
    incentives = forms.CharField(label="Incentives offered (optional)", required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text="For example a prize draw. Leave blank if none were offered.")  # fmt: skip
    weighting = forms.ChoiceField(label="Weighting", choices=PerceptionSurvey.Weighting.choices,
                                  widget=forms.RadioSelect,
                                  help_text="Weighting makes those who answered match all tenants by area (and age "
                                  "band), so no group counts for more than its share.")  # fmt: skip
    methodological_issues = forms.CharField(
        label="Anything that affects comparing with last year (optional)", required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    other_information = forms.CharField(label="Anything else tenants should know (optional)", required=False,
                                        widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class DrawForm(forms.Form):
    approach = forms.ChoiceField(label="Who to ask", choices=Population.Approach.choices, widget=forms.RadioSelect,
                                 initial=Population.Approach.SAMPLE)  # fmt: skip
    expected_response_rate = forms.IntegerField(
        label="Share expected to answer, as a percentage", min_value=1, max_value=100, initial=25,
        help_text="Sets how many to ask so that enough answer. Last year's response rate is a good guide.",
        error_messages={"required": "Enter the share expected to answer", "invalid": "Enter a whole number",
                        "min_value": "Enter a number from 1 to 100", "max_value": "Enter a number from 1 to 100"},
    )  # fmt: skip
    size = forms.IntegerField(
        label="Or draw exactly this many (optional)", required=False, min_value=1,
        help_text="Leave blank to draw enough for the minimum sample at the share expected to answer.",
        error_messages={"invalid": "Enter a whole number", "min_value": "Enter a number of 1 or more"},
    )  # fmt: skip
    seed = forms.IntegerField(
        label="Seed (optional)", required=False, min_value=0, max_value=2**31 - 1,
        help_text="Leave blank to let Involve choose one. Entering last draw's seed repeats it exactly.",
        error_messages={"invalid": "Enter a whole number", "min_value": "Enter a whole number of 0 or more",
                        "max_value": "Enter a smaller number"},
    )  # fmt: skip


class ExclusionForm(forms.Form):
    person_ref = forms.CharField(label="Person reference", max_length=40,
                                 error_messages={"required": "Enter the resident's person reference"})  # fmt: skip
    reason = forms.ChoiceField(label="Why are they left out?", choices=Exclusion.Reason.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": "Choose why they are left out"})  # fmt: skip
    note = forms.CharField(label="Note (optional unless the reason is another one)", required=False, max_length=300,
                           help_text="Do not write sensitive details here: say where they are recorded.")  # fmt: skip


class FieldworkForm(forms.Form):
    opens_on = date_field("Opening date")
    closes_on = date_field("Closing date")


class SampleSizeForm(forms.Form):
    population = forms.IntegerField(label="Tenant households in the population", min_value=1, max_value=10_000_000,
                                    error_messages={"required": "Enter how many households",
                                                    "invalid": "Enter a whole number",
                                                    "min_value": "Enter a number of 1 or more"})  # fmt: skip
    achieved = forms.IntegerField(label="Responses (optional)", required=False, min_value=1,
                                  help_text="To see the margin of error the responses give.",
                                  error_messages={"invalid": "Enter a whole number",
                                                  "min_value": "Enter a number of 1 or more"})  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("population") and data.get("achieved") and data["achieved"] > data["population"]:
            self.add_error("achieved", "There cannot be more responses than households")
        return data

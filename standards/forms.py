from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from standards.models import Event, Measure, MeasureVersion, Period, Rule, Unit
from standards.presets import PRESETS

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"]


def date_field(label: str, *, required: bool = True, help_text: str = "For example, 1/4/2027") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a real date, for example 1/4/2027",
        },
    )


def _choices(label: str, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", label), *choices]


class PresetForm(forms.Form):
    preset = forms.ChoiceField(
        label="Which local offer?",
        widget=forms.RadioSelect,
        choices=[(key, p.title) for key, p in PRESETS.items()],
        error_messages={"required": "Choose a local offer to load"},
    )


class CommitmentForm(forms.Form):
    theme = forms.CharField(label="Heading", max_length=120, required=False, help_text="For example, Quality of work")
    promise = forms.CharField(
        label="The promise",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In the words residents were given",
        error_messages={"required": "Enter the promise as residents were given it"},
    )


class MeasureVersionForm(forms.Form):
    """A new version of a measure. Only the fields its type uses are shown."""

    effective_from = date_field("Date the change takes effect")
    target = forms.DecimalField(
        label="Target",
        required=False,
        max_digits=8,
        decimal_places=2,
        error_messages={"invalid": "Enter the target as a number, like 99.6"},
    )
    target_text = forms.CharField(label="Target in the offer's words", max_length=300, required=False)
    timescale_amount = forms.IntegerField(
        label="Timescale", required=False, min_value=1, error_messages={"invalid": "Enter the timescale as a number"}
    )
    timescale_unit = forms.ChoiceField(
        label="Counted in", required=False, choices=_choices("Choose a unit", list(Unit.choices))
    )
    start_event = forms.ChoiceField(
        label="From when", required=False, choices=_choices("Choose a moment", list(Event.choices))
    )
    end_event = forms.ChoiceField(
        label="To when", required=False, choices=_choices("Choose a moment", list(Event.choices))
    )
    timescale_rule = forms.ChoiceField(
        label="The timescale is", required=False, choices=list(Rule.choices), widget=forms.RadioSelect
    )
    times = forms.IntegerField(label="At least how many times", required=False, min_value=1)
    per_period = forms.ChoiceField(
        label="Each", required=False, choices=_choices("Choose a period", list(Period.choices))
    )
    due_on = date_field("Due date", required=False)
    reason = forms.CharField(
        label="Why is it changing?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, who agreed the change and when",
        error_messages={"required": "Say why the measure is changing, for example who agreed it and when"},
    )

    def __init__(self, *args: Any, measure: Measure, current: MeasureVersion | None, **kwargs: Any) -> None:
        if current is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(current, name)
                for name in (
                    "target",
                    "target_text",
                    "timescale_amount",
                    "timescale_unit",
                    "start_event",
                    "end_event",
                    "timescale_rule",
                    "times",
                    "per_period",
                    "due_on",
                )
            }
            if isinstance(kwargs["initial"]["target"], Decimal):
                kwargs["initial"]["target"] = kwargs["initial"]["target"].normalize()
        super().__init__(*args, **kwargs)
        kind = measure.kind
        keep = {"effective_from", "reason", "target_text"}
        if kind == Measure.Kind.MILESTONE:
            keep |= {"due_on"}
        else:
            keep |= {"target", "times", "per_period"}
        if kind == Measure.Kind.WITHIN_TIMESCALE:
            keep |= {"timescale_amount", "timescale_unit", "start_event", "end_event", "timescale_rule"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "target" in self.fields:
            self.fields["target"].help_text = {
                Measure.Kind.RATE: "Per 1,000 homes",
                Measure.Kind.COUNT: "A number",
            }.get(kind, "A percentage from 0 to 100, for example 99.6")  # type: ignore[call-overload]
        if "target" in self.fields:
            # Required unless the measure's target is only in words (the seed has a few).
            self.fields["target"].required = current is None or current.target is not None
            self.fields["target"].error_messages["required"] = "Enter the target"
        if "due_on" in self.fields:
            self.fields["due_on"].required = True
        if kind == Measure.Kind.WITHIN_TIMESCALE:
            for name in ("timescale_amount", "timescale_unit", "start_event", "end_event"):
                self.fields[name].required = True
            self.fields["timescale_amount"].error_messages["required"] = "Enter the timescale, for example 3"
            self.fields["timescale_unit"].error_messages["required"] = "Choose hours, working days or calendar days"
            self.fields["start_event"].error_messages["required"] = "Choose when the timescale starts"
            self.fields["end_event"].error_messages["required"] = "Choose when the timescale ends"
        if "timescale_rule" in self.fields:
            self.fields["timescale_rule"].initial = self.initial.get("timescale_rule") or Rule.WITHIN
        self.order_fields(
            [
                "effective_from",
                "target",
                "timescale_amount",
                "timescale_unit",
                "start_event",
                "end_event",
                "timescale_rule",
                "times",
                "per_period",
                "due_on",
                "target_text",
                "reason",
            ]
        )

    def version_values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("effective_from", "reason")}


class MilestoneForm(forms.Form):
    done_on = date_field("Date it was done")
    evidence_note = forms.CharField(
        label="What shows it was done",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, where the leaflet was published and who approved it",
        error_messages={"required": "Say what shows the milestone was delivered"},
    )
    file = forms.FileField(
        label="Upload evidence",
        required=False,
        help_text="A PDF, Word, OpenDocument, spreadsheet, presentation or photo, up to 20 MB",
    )


class ClassifyForm(forms.Form):
    q = forms.CharField(
        label="Describe the case",
        required=False,
        max_length=300,
        help_text="A word or two is enough, for example graffiti, barking dog or drug dealing",
    )

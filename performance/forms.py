from __future__ import annotations

from typing import Any

from django import forms

from standards.forms import date_field


class ThresholdsForm(forms.Form):
    amber_points = forms.DecimalField(
        label="How far below target is amber, in percentage points",
        help_text="A result this close below its target shows amber; further below shows red. At or above "
        "target is green. For example, 5.",
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        error_messages={
            "required": "Enter how far below target is amber",
            "invalid": "Enter a number, for example 5",
            "min_value": "Enter a number from 0 to 100",
            "max_value": "Enter a number from 0 to 100",
        },
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Your comment",
        help_text="What you think of this result, or what you would like to know about it.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Enter your comment"},
    )
    group = forms.TypedChoiceField(
        label="Which group are you commenting for?",
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, groups: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups = groups or []
        field = self.fields["group"]
        field.choices = [(g.pk, g.name) for g in self.groups]  # type: ignore[attr-defined]
        if len(self.groups) == 1:
            field.initial = self.groups[0].pk
            field.widget = forms.HiddenInput()
        elif not self.groups:
            del self.fields["group"]
        else:
            field.required = True
            field.error_messages["required"] = "Choose the group you are commenting for"

    def chosen_group(self) -> Any:
        pk = self.cleaned_data.get("group")
        return next((g for g in self.groups if g.pk == pk), None)


class RemedialActionForm(forms.Form):
    description = forms.CharField(
        label="What will be done",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what will be done"},
    )
    owner = forms.CharField(
        label="Who is responsible",
        help_text="A person or team, for example Repairs manager.",
        max_length=120,
        error_messages={"required": "Enter who is responsible"},
    )
    due_on = date_field("Due date")


class CloseActionForm(forms.Form):
    note = forms.CharField(
        label="What was done",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what was done"},
    )

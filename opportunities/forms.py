from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from people.models import Area, FormatNeed, Interest, InvolvementLevel, TimeAvailable
from resources.models import TrainingCourse

from .models import MenuItem, Opportunity

DATE_FORMATS = ["%d %m %Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]
DATE_HINT = "For example, 27 3 2027"
TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M"]


class MenuItemForm(forms.ModelForm):
    suits_levels = forms.MultipleChoiceField(
        label="Who it suits",
        help_text="How involved people want to be.",
        choices=InvolvementLevel.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select who this suits"},
    )

    class Meta:
        model = MenuItem
        fields = [
            "name",
            "level",
            "summary",
            "what_it_involves",
            "time_needed",
            "time_commitment",
            "involves_meetings",
            "how_to_join",
            "suits_levels",
            "is_published",
        ]
        widgets = {
            "level": forms.RadioSelect,
            "time_commitment": forms.RadioSelect,
            "what_it_involves": forms.Textarea(attrs={"rows": 5}),
            "how_to_join": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "name": "Name",
            "level": "Level of involvement",
            "summary": "In one sentence",
            "what_it_involves": "What it involves",
            "time_needed": "Time needed",
            "time_commitment": "Least time it needs",
            "involves_meetings": "It involves going to meetings",
            "how_to_join": "How to join",
            "is_published": "Show it on the public page",
        }
        error_messages = {
            "name": {"required": "Enter a name"},
            "level": {"required": "Select the level of involvement"},
            "summary": {"required": "Enter what it is in one sentence"},
            "what_it_involves": {"required": "Enter what it involves"},
            "time_needed": {"required": "Enter the time needed"},
            "time_commitment": {"required": "Select the least time it needs"},
            "how_to_join": {"required": "Enter how to join"},
        }


class PublicMenuFilterForm(forms.Form):
    meetings = forms.ChoiceField(
        label="Meetings",
        required=False,
        choices=[("", "With or without meetings"), ("no", "Only ways with no meetings")],
    )
    time = forms.ChoiceField(
        label="Time you have",
        required=False,
        choices=[("", "Any amount of time"), *TimeAvailable.choices],
    )
    level = forms.ChoiceField(
        label="How involved you would like to be",
        required=False,
        choices=[("", "Any"), *InvolvementLevel.choices],
    )


class OpportunityForm(forms.ModelForm):
    date = forms.DateField(
        label="Date",
        help_text=DATE_HINT,
        input_formats=DATE_FORMATS,
        error_messages={"required": "Enter the date", "invalid": "Enter a real date, for example 27 3 2027"},
    )
    time = forms.TimeField(
        label="Start time",
        help_text="24-hour clock, for example 18:30",
        input_formats=TIME_FORMATS,
        error_messages={"required": "Enter the start time", "invalid": "Enter a time like 18:30"},
    )
    reply_by = forms.DateField(
        label="Reply by",
        required=False,
        help_text="Leave blank to take replies until it starts. " + DATE_HINT,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Enter a real date, for example 20 3 2027"},
    )
    capacity = forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=10000,
        error_messages={
            "required": "Enter the number of places",
            "min_value": "Enter the number of places, 1 or more",
            "invalid": "Enter the number of places as a whole number, like 8",
        },
    )
    hours = forms.DecimalField(
        label="Hours each person gives",
        initial=Decimal("2"),
        min_value=Decimal("0.25"),
        max_value=Decimal("100"),
        decimal_places=2,
        help_text="Counted towards their time given when they come. For example 2 or 1.5",
        error_messages={
            "required": "Enter the hours each person gives",
            "min_value": "Enter hours of 0.25 or more",
            "invalid": "Enter hours as a number, like 2 or 1.5",
        },
    )
    levels = forms.MultipleChoiceField(
        label="Suits people who want to",
        required=False,
        choices=[c for c in InvolvementLevel.choices if c[0] != InvolvementLevel.INFORMED],
        widget=forms.CheckboxSelectMultiple,
    )
    interests = forms.ModelMultipleChoiceField(
        label="What it is about", queryset=Interest.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    areas = forms.ModelMultipleChoiceField(
        label="Areas", queryset=Area.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    training_required = forms.ModelMultipleChoiceField(
        label="Training needed",
        queryset=TrainingCourse.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    format_support = forms.ModelMultipleChoiceField(
        label="Support we can provide",
        help_text="People who need these can still take part.",
        queryset=FormatNeed.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Opportunity
        fields = [
            "title",
            "menu_item",
            "description",
            "is_online",
            "place",
            "accessibility",
            "capacity",
            "hours",
            "time_needed",
            "levels",
            "area_only",
            "status",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "time_needed": forms.RadioSelect,
            "status": forms.RadioSelect,
        }
        labels = {
            "title": "Title",
            "menu_item": "Kind of involvement",
            "description": "What people will do",
            "is_online": "It is online",
            "place": "Place, or how to join online",
            "accessibility": "Access information",
            "time_needed": "Time it asks for",
            "area_only": "Only propose people who live in these areas",
            "status": "Status",
        }
        error_messages = {
            "title": {"required": "Enter a title"},
            "description": {"required": "Enter what people will do"},
            "place": {"required": "Enter the place, or how to join online"},
            "time_needed": {"required": "Select the time it asks for"},
        }

    def __init__(self, *args: Any, organisation_id: int, creating: bool, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            local = timezone.localtime(instance.starts_at)
            initial = kwargs.setdefault("initial", {})
            initial.setdefault("date", local.date().strftime("%d %m %Y"))
            initial.setdefault("time", local.strftime("%H:%M"))
            if instance.answer_by:
                initial.setdefault("reply_by", timezone.localtime(instance.answer_by).date().strftime("%d %m %Y"))
            initial.setdefault("interests", list(instance.interests.all()))
            initial.setdefault("areas", list(instance.areas.all()))
            initial.setdefault("training_required", list(instance.training_required.all()))
            initial.setdefault("format_support", list(instance.format_support.all()))
        super().__init__(*args, **kwargs)
        self.creating = creating
        self.fields["menu_item"].queryset = MenuItem.objects.filter(organisation_id=organisation_id)  # type: ignore[attr-defined]
        self.fields["menu_item"].empty_label = "Not on the menu"  # type: ignore[attr-defined]
        self.fields["areas"].queryset = (
            Area.objects.filter(organisation_id=organisation_id)
            .exclude(  # type: ignore[attr-defined]
                level=Area.Level.NEIGHBOURHOOD
            )
            .order_by("level", "name")
        )
        self.fields["areas"].label_from_instance = lambda a: (  # type: ignore[attr-defined]
            f"{a.name} estate" if a.level == Area.Level.ESTATE else a.name
        )
        self.fields["training_required"].queryset = TrainingCourse.objects.filter(organisation_id=organisation_id)  # type: ignore[attr-defined]
        if creating:
            self.fields["status"].choices = [  # type: ignore[attr-defined]
                (Opportunity.Status.OPEN, "Open: invite people now"),
                (Opportunity.Status.DRAFT, "Draft: not ready to invite people"),
            ]
            self.fields["status"].initial = Opportunity.Status.OPEN

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date, time = data.get("date"), data.get("time")
        if date and time:
            starts = timezone.make_aware(datetime.datetime.combine(date, time))
            data["starts_at"] = starts
            if self.creating and starts <= timezone.now():
                self.add_error("date", "The date and time must be in the future")
            reply_by = data.get("reply_by")
            if reply_by:
                if reply_by > date:
                    self.add_error("reply_by", "The reply-by date must be on or before the date it happens")
                else:
                    data["answer_by"] = min(
                        starts, timezone.make_aware(datetime.datetime.combine(reply_by, datetime.time(23, 59)))
                    )
            else:
                data["answer_by"] = None
        return data

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        keys = ["title", "menu_item", "description", "is_online", "place", "accessibility", "capacity", "hours"]
        keys += ["time_needed", "area_only", "status", "starts_at", "answer_by"]
        values = {k: data[k] for k in keys}
        values["levels"] = list(data.get("levels") or [])
        return values


class MatchInviteForm(forms.Form):
    residents = forms.TypedMultipleChoiceField(
        coerce=int,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one person to invite"},
    )

    def __init__(self, *args: Any, ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["residents"].choices = [(str(i), str(i)) for i in ids]  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="Can you come?",
        choices=[("yes", "Yes, I can come"), ("no", "No, I cannot come")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you can come, or no if you cannot"},
    )


class TimeEntryForm(forms.Form):
    person_ref = forms.CharField(
        label="Person reference",
        max_length=40,
        help_text="From their record, for example RHP0000123",
        error_messages={"required": "Enter the person reference"},
    )
    date = forms.DateField(
        label="Date",
        help_text=DATE_HINT,
        input_formats=DATE_FORMATS,
        error_messages={"required": "Enter the date", "invalid": "Enter a real date, for example 27 3 2026"},
    )
    hours = forms.DecimalField(
        label="Hours given",
        min_value=Decimal("0.25"),
        max_value=Decimal("24"),
        decimal_places=2,
        error_messages={
            "required": "Enter the hours given",
            "min_value": "Enter hours of 0.25 or more",
            "max_value": "Enter the hours given on one day, 24 or fewer",
            "invalid": "Enter hours as a number, like 2 or 1.5",
        },
    )
    description = forms.CharField(
        label="What they did", max_length=200, error_messages={"required": "Enter what they did"}
    )
    menu_item = forms.ModelChoiceField(
        label="Way of being involved", queryset=MenuItem.objects.none(), required=False, empty_label="Other"
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["menu_item"].queryset = MenuItem.objects.filter(organisation_id=organisation_id)  # type: ignore[attr-defined]


class SettingsForm(forms.Form):
    rest_days = forms.IntegerField(
        label="Days to look back",
        min_value=1,
        max_value=365,
        help_text="How far back to count invitations when deciding whether someone has been asked too often.",
        error_messages={"required": "Enter a number of days", "min_value": "Enter 1 day or more"},
    )
    max_recent_invitations = forms.IntegerField(
        label="Most invitations in that time",
        min_value=1,
        max_value=50,
        help_text="People already invited this many times are not proposed again until the time has passed.",
        error_messages={"required": "Enter a number", "min_value": "Enter 1 or more"},
    )
    award_hours = forms.CharField(
        label="Hours at which we thank people",
        help_text="Separate with commas, for example 10, 25, 50",
        error_messages={"required": "Enter at least one number of hours"},
    )

    def clean_award_hours(self) -> list[int]:
        raw = self.cleaned_data["award_hours"]
        try:
            hours = sorted({int(part) for part in raw.replace(";", ",").split(",") if part.strip()})
        except ValueError:
            raise forms.ValidationError("Enter whole numbers of hours separated by commas, like 10, 25, 50") from None
        if not hours or any(h < 1 for h in hours):
            raise forms.ValidationError("Enter whole numbers of hours of 1 or more")
        return hours


class AttendanceForm(forms.Form):
    """One row per person who said they were coming: came or not, and hours if not the usual."""

    def __init__(self, *args: Any, invitations: list[Any], default_hours: Decimal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for invitation in invitations:
            name = invitation.resident.full_name
            came = forms.ChoiceField(
                label=f"Did {name} come?",
                choices=[("yes", "Came"), ("no", "Did not come")],
                widget=forms.RadioSelect,
                required=True,
                error_messages={"required": f"Select whether {name} came"},
                initial={True: "yes", False: "no"}.get(invitation.attended),
            )
            entry = getattr(invitation, "time_entry", None) if invitation.attended else None
            hours = forms.DecimalField(
                label=f"Hours {name} gave",
                required=False,
                min_value=Decimal("0.25"),
                max_value=Decimal("100"),
                decimal_places=2,
                help_text=f"Leave blank for {default_hours.normalize()}",
                initial=entry.hours.normalize() if entry and entry.hours != default_hours else None,
                error_messages={
                    "min_value": f"Enter hours for {name} of 0.25 or more",
                    "invalid": f"Enter hours for {name} as a number, like 2 or 1.5",
                },
            )
            self.fields[f"came_{invitation.pk}"] = came
            self.fields[f"hours_{invitation.pk}"] = hours
            self.rows.append((invitation, f"came_{invitation.pk}", f"hours_{invitation.pk}"))

    def attendance(self) -> dict[int, tuple[bool, Decimal | None]]:
        return {
            invitation.pk: (self.cleaned_data[came] == "yes", self.cleaned_data.get(hours))
            for invitation, came, hours in self.rows
        }

    def bound_rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [(invitation, self[came], self[hours]) for invitation, came, hours in self.rows]

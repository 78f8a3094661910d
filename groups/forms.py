from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from core.forms import DATE_HINT, OnceForm, TimeField, check_upload, date_field
from groups.models import (
    Action,
    Attendance,
    Criterion,
    Election,
    Group,
    GroupDocument,
    GroupKind,
    Meeting,
    MemberRole,
    RecognitionReview,
    Venue,
)


def _blank(label: str, choices: list[tuple[Any, str]]) -> list[tuple[Any, str]]:
    return [("", label), *choices]


# --- Groups -----------------------------------------------------------------------------------


class GroupFilterForm(forms.Form):
    q = forms.CharField(label="Name", required=False)
    kind = forms.ChoiceField(label="Type", required=False, choices=_blank("Any type", GroupKind.choices))
    area = forms.TypedChoiceField(label="Area", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("active", "Active"), ("closed", "Closed"), ("any", "Active or closed")],
    )

    def __init__(self, *args: Any, areas: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = _blank("Any area", [(str(a.pk), a.name) for a in areas])  # type: ignore[attr-defined]


class GroupForm(forms.ModelForm):
    other_type = forms.CharField(
        label="Name of the type of group",
        required=False,
        max_length=100,
        help_text="Only if you chose 'Another type'. For example, Editorial group or Youth panel",
    )

    class Meta:
        model = Group
        fields = [
            "name",
            "kind",
            "other_type",
            "area",
            "parent",
            "purpose",
            "quorum",
            "privacy",
            "is_published",
            "support_officer",
        ]
        widgets = {"privacy": forms.RadioSelect}
        labels = {"kind": "Type of group", "area": "Area or estate served", "parent": "Halo around (halo groups only)"}
        error_messages = {
            "name": {"required": "Enter the group's name"},
            "kind": {"required": "Choose the type of group"},
            "purpose": {"required": "Say what the group is for"},
            "quorum": {"required": "Enter the quorum", "invalid": "Enter the quorum as a number, like 3"},
        }

    def __init__(self, *args: Any, areas: Any, groups: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["area"].empty_label = "The whole landlord"  # type: ignore[attr-defined]
        self.fields["parent"].queryset = groups  # type: ignore[attr-defined]
        self.fields["parent"].empty_label = "Not a halo group"  # type: ignore[attr-defined]
        self.fields["support_officer"].queryset = staff  # type: ignore[attr-defined]
        self.fields["support_officer"].empty_label = "No one yet"  # type: ignore[attr-defined]
        self.fields["support_officer"].label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[attr-defined]
        self.fields["area"].label_from_instance = lambda a: (  # type: ignore[attr-defined]
            f"{a.name} ({a.get_level_display().lower()})"
        )
        if self.instance.pk and self.instance.custom_type_id:
            self.initial.setdefault("other_type", self.instance.custom_type.name)

    def clean_quorum(self) -> int:
        quorum = self.cleaned_data["quorum"]
        if quorum < 1:
            raise forms.ValidationError("The quorum must be at least 1")
        return int(quorum)


class MembershipAddForm(forms.Form):
    resident = forms.TypedChoiceField(
        label="Resident",
        coerce=int,
        empty_value=None,
        error_messages={"required": "Choose the resident to add", "invalid_choice": "Choose the resident to add"},
    )
    role = forms.ChoiceField(label="Role", choices=MemberRole.choices, initial=MemberRole.MEMBER)
    starts_on = date_field("Date their term starts")
    term_ends_on = date_field("Date their term ends", required=False, help_text="Leave blank if there is no fixed term")

    def __init__(self, *args: Any, residents: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = _blank(  # type: ignore[attr-defined]
            "Choose a resident",
            [
                (str(r.pk), f"{r.last_name}, {r.preferred_name or r.first_name} ({r.person_ref or 'no reference'})")
                for r in residents
            ],
        )
        self.initial.setdefault("starts_on", timezone.localdate().strftime("%Y-%m-%d"))


class ResidentSearchForm(forms.Form):
    find = forms.CharField(label="Find a resident", required=False, help_text="First or last name, or person reference")


class MembershipEditForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=MemberRole.choices)
    starts_on = date_field("Date their term started")
    term_ends_on = date_field("Date their term ends", required=False, help_text="Leave blank if there is no fixed term")
    ended_on = date_field(
        "Date they left the group", required=False, help_text="Only when they have left. " + DATE_HINT
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="Type of document", choices=GroupDocument.Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(
        label="Title",
        required=False,
        max_length=200,
        help_text="Leave blank to use the type, for example 'Terms of reference'. Use the same title to add a new version.",
    )
    file = forms.FileField(label="Upload the document", error_messages={"required": "Choose the file to upload"})
    agreed_on = date_field("Date agreed")
    notes = forms.CharField(label="What changed in this version", required=False, max_length=300)
    is_public = forms.BooleanField(label="Show on the group's public page", required=False, initial=True)

    def clean_file(self) -> Any:
        return check_upload(self.cleaned_data.get("file"))


class SettingsForm(forms.Form):
    publicity_days = forms.IntegerField(
        label="How many days before a meeting it must be publicised",
        min_value=0,
        max_value=60,
        error_messages={"required": "Enter the number of days", "invalid": "Enter a whole number, like 10"},
    )
    publicity_in_working_days = forms.TypedChoiceField(
        label="Count",
        choices=[("True", "Working days (not weekends, bank holidays or closure days)"), ("False", "Calendar days")],
        coerce=lambda v: v == "True",
        widget=forms.RadioSelect,
    )


# --- Elections --------------------------------------------------------------------------------


class ElectionForm(OnceForm):
    kind = forms.ChoiceField(label="Type", choices=Election.Kind.choices, widget=forms.RadioSelect)
    held_on = date_field("Date held")
    meeting = forms.TypedChoiceField(label="At which meeting", required=False, coerce=int, empty_value=None)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, meetings: list[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = _blank(  # type: ignore[attr-defined]
            "Not at a meeting",
            [(str(m.pk), f"{timezone.localtime(m.starts_at):%-d %B %Y}: {m.get_kind_display()}") for m in meetings],
        )


class PositionForm(forms.Form):
    role = forms.ChoiceField(
        label="Position", choices=[c for c in MemberRole.choices if c[0] not in ("halo", "officer_support")]
    )
    seats = forms.IntegerField(label="Number of seats", min_value=1, max_value=50, initial=1)
    term_months = forms.IntegerField(label="Term in months", min_value=1, max_value=60, initial=12)


class CandidateForm(forms.Form):
    position = forms.TypedChoiceField(label="Standing for", coerce=int)
    resident = forms.TypedChoiceField(
        label="Candidate", coerce=int, empty_value=None, error_messages={"required": "Choose the candidate"}
    )

    def __init__(self, *args: Any, positions: list[Any], residents: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = [(str(p.pk), p.get_role_display()) for p in positions]  # type: ignore[attr-defined]
        self.fields["resident"].choices = _blank(  # type: ignore[attr-defined]
            "Choose a resident", [(str(r.pk), f"{r.last_name}, {r.preferred_name or r.first_name}") for r in residents]
        )


class VotesForm(forms.Form):
    """One number per candidate, and a tie-break choice when needed."""

    def __init__(self, *args: Any, position: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = list(position.candidates.all())
        for c in self.candidates:
            self.fields[f"votes_{c.pk}"] = forms.IntegerField(
                label=f"Votes for {c.resident.full_name}",
                min_value=0,
                error_messages={
                    "required": f"Enter the votes for {c.resident.full_name}",
                    "invalid": f"Enter the votes for {c.resident.full_name} as a number",
                    "min_value": "Votes cannot be fewer than 0",
                },
            )
        self.fields["tie_winners"] = forms.TypedMultipleChoiceField(
            label="If there was a tie: who was elected by the tie-break",
            required=False,
            coerce=int,
            choices=[(str(c.pk), c.resident.full_name) for c in self.candidates],
            widget=forms.CheckboxSelectMultiple,
        )

    def votes(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"votes_{c.pk}"] for c in self.candidates}


# --- Recognition ------------------------------------------------------------------------------


class EvidenceForm(forms.Form):
    criterion = forms.ChoiceField(label="Criterion", choices=Criterion.choices, widget=forms.HiddenInput)
    meets = forms.TypedChoiceField(
        label="Does the group meet this?",
        choices=[("True", "Yes"), ("False", "No, not yet")],
        coerce=lambda v: v == "True",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the group meets this criterion"},
    )
    note = forms.CharField(label="Evidence", required=False, widget=forms.Textarea, help_text="What you saw and where")
    file = forms.FileField(label="Attach a file", required=False)

    def clean_file(self) -> Any:
        return check_upload(self.cleaned_data.get("file"))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=RecognitionReview.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision"},
    )
    reasons = forms.CharField(
        label="Reasons", widget=forms.Textarea, error_messages={"required": "Give the reasons for the decision"}
    )
    renewal_due = date_field(
        "Renewal date", required=False, help_text="Only for recognition. Leave blank for one year from today"
    )


# --- Venues and meetings ----------------------------------------------------------------------


class VenueForm(forms.ModelForm):
    class Meta:
        model = Venue
        fields = [
            "name",
            "address",
            "postcode",
            "step_free",
            "hearing_loop",
            "accessible_toilet",
            "parking",
            "accessibility_notes",
        ]
        error_messages = {"name": {"required": "Enter the venue's name"}, "address": {"required": "Enter the address"}}


class MeetingForm(OnceForm):
    kind = forms.ChoiceField(label="Type of meeting", choices=Meeting.Kind.choices, widget=forms.RadioSelect)
    date = date_field("Date")
    start_time = TimeField(label="Start time", help_text="For example, 18:30 or 6:30pm")
    end_time = TimeField(label="End time", help_text="For example, 20:00 or 8pm")
    venue = forms.TypedChoiceField(label="Venue", required=False, coerce=int, empty_value=None)
    online_link = forms.URLField(
        label="Online meeting link", required=False, max_length=500, help_text="For example, a Teams or Zoom link"
    )

    def __init__(self, *args: Any, venues: list[Venue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["venue"].choices = _blank(  # type: ignore[attr-defined]
            "Online only", [(str(v.pk), v.name) for v in venues]
        )
        self.fields["start_time"].error_messages["required"] = "Enter the start time"
        self.fields["end_time"].error_messages["required"] = "Enter the end time"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date") and data.get("start_time") and data.get("end_time"):
            tz = timezone.get_current_timezone()
            data["starts_at"] = timezone.make_aware(datetime.datetime.combine(data["date"], data["start_time"]), tz)
            data["ends_at"] = timezone.make_aware(datetime.datetime.combine(data["date"], data["end_time"]), tz)
        return data


class AgendaItemForm(OnceForm):
    id_prefix = "agenda"

    title = forms.CharField(label="Agenda item", max_length=200, error_messages={"required": "Enter the agenda item"})
    description = forms.CharField(label="What it is about", required=False, widget=forms.Textarea)
    presenter = forms.CharField(label="Who will introduce it", required=False, max_length=120)


class PaperForm(OnceForm):
    id_prefix = "paper"

    title = forms.CharField(label="Title of the paper", max_length=200, error_messages={"required": "Enter the title"})
    file = forms.FileField(label="Upload the paper", error_messages={"required": "Choose the file to upload"})
    agenda_item = forms.TypedChoiceField(label="Agenda item", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, items: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].choices = _blank(  # type: ignore[attr-defined]
            "The whole meeting", [(str(i.pk), f"{i.order}. {i.title}") for i in items]
        )

    def clean_file(self) -> Any:
        return check_upload(self.cleaned_data.get("file"))


class AttendanceForm(forms.Form):
    others_present = forms.CharField(
        label="Others present", required=False, widget=forms.Textarea, help_text="Staff, councillors and guests"
    )

    def __init__(self, *args: Any, rows: list[tuple[Any, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for membership, status in rows:
            name = f"member_{membership.resident_id}"
            self.fields[name] = forms.ChoiceField(
                label=f"{membership.resident.full_name} ({membership.get_role_display().lower()})",
                choices=Attendance.Status.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=status or None,
            )

    def member_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("member_")]

    def statuses(self) -> dict[int, str]:
        return {
            int(name.removeprefix("member_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("member_")
        }


class MinutesForm(forms.Form):
    minutes = forms.CharField(label="Minutes", widget=forms.Textarea, error_messages={"required": "Enter the minutes"})
    summary = forms.CharField(
        label="What happened, for residents",
        required=False,
        widget=forms.Textarea,
        help_text="Two or three sentences in plain English for the group's public page. No names.",
        max_length=1500,
    )


class DecisionAddForm(OnceForm):
    id_prefix = "decision"

    text = forms.CharField(
        label="What was decided", widget=forms.Textarea, error_messages={"required": "Enter what was decided"}
    )


class ActionAddForm(OnceForm):
    id_prefix = "action"

    description = forms.CharField(
        label="What needs doing", widget=forms.Textarea, error_messages={"required": "Enter what needs doing"}
    )
    owner = forms.ChoiceField(label="Who will do it", error_messages={"required": "Choose who will do it"})
    due_on = date_field("Due by")

    def __init__(self, *args: Any, owners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = _blank("Choose a person", owners)  # type: ignore[attr-defined]


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=Action.Status.choices, widget=forms.RadioSelect)
    progress_note = forms.CharField(label="Progress", required=False, widget=forms.Textarea)
    due_on = date_field("Due by")


class CommentForm(OnceForm):
    paper = forms.TypedChoiceField(label="Which paper is it about", required=False, coerce=int, empty_value=None)
    text = forms.CharField(
        label="Your comment",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={
            "required": "Enter your comment",
            "max_length": "Your comment must be 5,000 characters or fewer",
        },
    )

    def __init__(self, *args: Any, papers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paper"].choices = _blank("The meeting in general", [(str(p.pk), p.title) for p in papers])  # type: ignore[attr-defined]

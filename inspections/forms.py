from __future__ import annotations

import re
from typing import Any

from django import forms

from core.uploads import DOCUMENT_MAX_BYTES, PHOTO_MAX_BYTES
from inspections.models import CaseObservation, CaseStudy, Finding, Question, Scenario, Service, Walkabout
from inspections.services import FINDING_DEFAULT_WORKING_DAYS

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"]


def date_field(label: str, *, required: bool = True, help_text: str = "For example, 27/3/2026") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a real date, for example 27/3/2026",
        },
    )


def _blank(label: str, choices: list[tuple[Any, str]]) -> list[tuple[Any, str]]:
    return [("", label), *choices]


def _measure_choices(field: Any, measures: Any) -> None:
    """The landlord's local-offer measures, shown by code and name (none: the field is optional)."""
    field.queryset = measures
    field.empty_label = "None"
    field.label_from_instance = lambda m: f"{m.code}: {m.name}"
    field.help_text = "The measure of your local offer this tests, if there is one."


class ScenarioForm(forms.ModelForm):
    class Meta:
        model = Scenario
        fields = ["title", "kind", "service", "brief", "required_course", "measure", "is_active"]
        widgets = {"kind": forms.RadioSelect}
        labels = {"is_active": "In use (shoppers can be given this scenario)"}
        error_messages = {
            "title": {"required": "Enter a title"},
            "kind": {"required": "Choose the kind of scenario"},
            "service": {"required": "Choose the service tested"},
            "brief": {"required": "Enter the script or brief for the shopper"},
            "required_course": {"required": "Choose the training a shopper needs"},
        }

    def __init__(self, *args: Any, courses: Any, measures: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["required_course"].queryset = courses  # type: ignore[attr-defined]
        _measure_choices(self.fields["measure"], measures)
        self.fields["required_course"].empty_label = "Choose a course"  # type: ignore[attr-defined]
        self.fields["service"].choices = _blank("Choose a service", list(Service.choices))  # type: ignore[attr-defined]


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text", "hint", "kind", "weight", "is_required"]
        widgets = {"kind": forms.RadioSelect}
        labels = {"hint": "Hint for the shopper", "is_required": "The shopper must answer this question"}
        error_messages = {
            "text": {"required": "Enter the question"},
            "kind": {"required": "Choose the type of answer"},
            "weight": {"required": "Enter a weight from 1 to 10"},
        }


class AssignForm(forms.Form):
    shopper = forms.TypedChoiceField(
        label="Shopper",
        coerce=int,
        empty_value=None,
        help_text="Only residents whose training for this scenario is current are listed.",
        error_messages={
            "required": "Choose a shopper",
            "invalid_choice": "Choose a shopper who has completed the training for this scenario",
        },
    )
    due_on = date_field("Due date")

    def __init__(self, *args: Any, shoppers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shopper"].choices = _blank(  # type: ignore[attr-defined]
            "Choose a shopper", [(r.pk, f"{r.full_name} ({r.person_ref or 'no reference'})") for r in shoppers]
        )


class AssessmentForm(forms.Form):
    """The scored assessment: one field per question (q<question id>), then the date and comments."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            required_message = {"required": f"Answer the question: {question.text}"}
            field: forms.Field
            if question.kind == Question.Kind.YES_NO:
                field = forms.ChoiceField(
                    choices=[("yes", "Yes"), ("no", "No")],
                    widget=forms.RadioSelect,
                    error_messages={**required_message, "invalid_choice": "Choose yes or no"},
                )
            elif question.kind == Question.Kind.SCORE:
                field = forms.ChoiceField(
                    choices=[
                        ("1", "1 – very poor"),
                        ("2", "2 – poor"),
                        ("3", "3 – acceptable"),
                        ("4", "4 – good"),
                        ("5", "5 – excellent"),
                    ],
                    widget=forms.RadioSelect,
                    error_messages={**required_message, "invalid_choice": "Choose a score from 1 to 5"},
                )
            else:
                field = forms.CharField(widget=forms.Textarea, max_length=5000, error_messages=required_message)
            field.label = question.text
            field.help_text = question.hint
            field.required = question.is_required
            self.fields[f"q{question.pk}"] = field
        self.fields["carried_out_on"] = date_field("Date you did this")
        self.fields["comments"] = forms.CharField(
            label="Anything else you want to tell us", required=False, widget=forms.Textarea, max_length=5000
        )

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q{q.pk}"] for q in self.questions]

    def answers(self) -> dict[int, Any]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}


class CaseStudyForm(forms.ModelForm):
    person_ref = forms.CharField(
        label="Person reference of the resident",
        max_length=40,
        help_text="The resident whose case is followed, from the register.",
        error_messages={"required": "Enter the person reference of the resident"},
    )
    started_on = date_field("Date the case started")

    class Meta:
        model = CaseStudy
        fields = ["title", "service", "case_reference", "measure", "started_on"]
        error_messages = {"title": {"required": "Enter a title"}, "service": {"required": "Choose the service"}}

    def __init__(self, *args: Any, measures: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = _blank("Choose a service", list(Service.choices))  # type: ignore[attr-defined]
        _measure_choices(self.fields["measure"], measures)
        self.order_fields(["title", "person_ref", "service", "case_reference", "measure", "started_on"])


class ObservationForm(forms.ModelForm):
    observed_on = date_field("Date")

    class Meta:
        model = CaseObservation
        fields = ["observed_on", "note", "standard"]
        widgets = {"standard": forms.RadioSelect}
        labels = {"standard": "Was the service standard met?"}
        error_messages = {"note": {"required": "Enter what happened"}}


class CloseCaseForm(forms.Form):
    outcome = forms.CharField(
        label="What the case study found",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Enter what the case study found"},
    )


PERSON_REF_SPLIT = re.compile(r"[\s,;]+")


class WalkaboutForm(forms.ModelForm):
    date = date_field("Date")
    start_time = forms.TimeField(
        label="Start time",
        required=False,
        help_text="For example, 10:30",
        input_formats=["%H:%M", "%H.%M"],
        error_messages={"invalid": "Enter a start time like 10:30"},
    )
    resident_refs = forms.CharField(
        label="Residents who came",
        required=False,
        widget=forms.Textarea,
        help_text="Their person references from the register, one a line.",
    )

    class Meta:
        model = Walkabout
        fields = [
            "kind",
            "area",
            "date",
            "start_time",
            "meeting_point",
            "route",
            "resident_refs",
            "other_residents",
            "staff_attending",
            "others_attending",
        ]
        widgets = {"kind": forms.RadioSelect, "staff_attending": forms.Textarea, "others_attending": forms.Textarea}
        error_messages = {
            "area": {"required": "Choose the estate or area"},
            "route": {"required": "Enter the route"},
            "other_residents": {"invalid": "Enter a number, like 4"},
        }

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["area"].required = True
        self.fields["area"].empty_label = "Choose an estate or area"  # type: ignore[attr-defined]
        self.fields["area"].label_from_instance = lambda a: f"{a.name} ({a.get_level_display().lower()})"  # type: ignore[attr-defined]

    def person_refs(self) -> list[str]:
        return [ref for ref in PERSON_REF_SPLIT.split(self.cleaned_data.get("resident_refs", "")) if ref]


class FindingForm(forms.ModelForm):
    due_on = date_field(
        "Due date",
        required=False,
        help_text=f"Leave blank for {FINDING_DEFAULT_WORKING_DAYS} working days after the walkabout. For example, 27/3/2026",
    )
    photo = forms.FileField(
        label="Photo",
        required=False,
        help_text=f"A JPG, PNG or WebP image smaller than {PHOTO_MAX_BYTES // (1024 * 1024)} MB",
    )
    photo_description = forms.CharField(
        label="What the photo shows", required=False, max_length=200, help_text="Read out to people who cannot see it."
    )

    class Meta:
        model = Finding
        fields = [
            "category",
            "description",
            "location",
            "latitude",
            "longitude",
            "action",
            "owner",
            "owner_team",
            "due_on",
        ]
        labels = {"latitude": "Latitude", "longitude": "Longitude"}
        help_texts = {"latitude": "For example, 51.75222", "longitude": "For example, -1.25596"}
        error_messages = {
            "category": {"required": "Choose a category"},
            "description": {"required": "Enter what was found"},
            "location": {"required": "Enter where it was found"},
            "action": {"required": "Enter the action to take"},
            "latitude": {"invalid": "Enter the latitude as a number, like 51.75222"},
            "longitude": {"invalid": "Enter the longitude as a number, like -1.25596"},
        }

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["owner"].empty_label = "No one at the landlord (a team or contractor)"  # type: ignore[attr-defined]
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[attr-defined]
        self.fields["category"].choices = _blank("Choose a category", list(Finding.Category.choices))  # type: ignore[attr-defined]
        self.fields["photo"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("photo") and not data.get("photo_description"):
            self.add_error("photo_description", "Describe what the photo shows")
        if (data.get("latitude") is None) != (data.get("longitude") is None) and not self.errors:
            self.add_error("longitude", "Enter both latitude and longitude, or neither")
        return data


class FindingUpdateForm(forms.ModelForm):
    due_on = date_field("Due date")
    note = forms.CharField(
        label="What has happened",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Enter a note of what has happened"},
    )

    class Meta:
        model = Finding
        fields = ["status", "owner", "owner_team", "due_on"]
        widgets = {"status": forms.RadioSelect}

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [c for c in Finding.Status.choices if c[0] != Finding.Status.CLOSED]  # type: ignore[attr-defined]
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["owner"].empty_label = "No one at the landlord (a team or contractor)"  # type: ignore[attr-defined]
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[attr-defined]


class CloseFindingForm(forms.Form):
    note = forms.CharField(
        label="What was done",
        widget=forms.Textarea,
        max_length=5000,
        help_text="Residents will see this on the walkabout summary.",
        error_messages={"required": "Enter what was done, to close this action"},
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label="Photo",
        help_text=f"A JPG, PNG or WebP image smaller than {PHOTO_MAX_BYTES // (1024 * 1024)} MB",
        error_messages={"required": "Select a photo"},
    )
    photo_description = forms.CharField(
        label="What the photo shows",
        max_length=200,
        help_text="Read out to people who cannot see it.",
        error_messages={"required": "Describe what the photo shows"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photo"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"


class CompleteWalkaboutForm(forms.Form):
    public_summary = forms.CharField(
        label="Summary for residents",
        widget=forms.Textarea,
        max_length=5000,
        help_text="Plain English: where you went, who came and the main things found. "
        "Residents see this with the list of findings and what is being done. Do not name residents.",
        error_messages={"required": "Enter a summary for residents"},
    )


class ProcedureForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, initial="Estate walkabout procedure")
    text = forms.CharField(
        label="Procedure",
        widget=forms.Textarea,
        max_length=50000,
        help_text="The procedure as staff and residents should follow it.",
        error_messages={"required": "Enter the procedure"},
    )
    change_note = forms.CharField(label="What changed in this version", max_length=300, required=False)
    effective_from = date_field("In force from")
    document = forms.FileField(
        label="Document",
        required=False,
        help_text=f"Optional: the signed-off version as a PDF, Word or OpenDocument file smaller than "
        f"{DOCUMENT_MAX_BYTES // (1024 * 1024)} MB",
    )


class ResultsFilterForm(forms.Form):
    service = forms.ChoiceField(label="Service", required=False, choices=_blank("All services", list(Service.choices)))


class WalkaboutFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Type", required=False, choices=_blank("Any type", list(Walkabout.Kind.choices)))
    status = forms.ChoiceField(
        label="Status", required=False, choices=_blank("Any status", list(Walkabout.Status.choices))
    )


class ActionFilterForm(forms.Form):
    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("open", "Open actions"), ("overdue", "Overdue actions"), ("closed", "Closed actions")],
    )

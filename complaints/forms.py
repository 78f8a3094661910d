"""Forms for concerns and complaints. They check the shape of what was typed; the services
check the rules (deadlines, routes, who may decide) and the views show what they say."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from complaints.code import REQUIREMENTS
from complaints.models import Case, CaseEvent, CaseStage, CodeAssessmentItem, LetterTemplate, Stage
from core.forms import OnceForm, TimeField, date_field

MAX_FILES = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Up to five files; each is checked by content in the service (core.uploads)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": "multiple"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:  # type: ignore[override]
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"Attach up to {MAX_FILES} files")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


ATTACHMENT_HELP = "Up to 5 files: photos, PDFs, Word or spreadsheet files, each smaller than 10 MB."


def _text(
    label: str, *, required: bool = True, max_length: int = 10_000, help_text: str = "", rows: int = 5
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": f"Enter {label[0].lower() + label[1:]}",
            "max_length": f"{label} must be {max_length:,} characters or fewer",
        },
    )


class CaseReceiveForm(OnceForm):
    kind = forms.ChoiceField(label="What is it?", choices=Case.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Choose what kind of case it is"})  # fmt: skip
    procedure = forms.TypedChoiceField(label="Procedure it follows", required=False, coerce=int, empty_value=None,
                                       help_text="Complaints and concerns only.")  # fmt: skip
    resident_reference = forms.CharField(
        label="Resident's person reference",
        required=False,
        max_length=40,
        help_text="Leave blank for an anonymous comment or compliment. For example, P000123",
    )
    channel = forms.ChoiceField(label="How was it received?", choices=Case.Channel.choices, widget=forms.RadioSelect,
                                error_messages={"required": "Choose how it was received"})  # fmt: skip
    representative = forms.CharField(label="Representative (if any)", required=False, max_length=200,
                                     help_text="A councillor, MP or advocate acting for the resident")  # fmt: skip
    received_on = date_field("Date received")
    received_time = TimeField(
        label="Time received", required=False, help_text="For example, 14:30. Leave blank if not known"
    )
    issue_date = date_field("Date it happened", required=False)
    service_area = forms.CharField(
        label="Service area", required=False, max_length=120, help_text="For example, Repairs"
    )
    category = forms.CharField(
        label="Category", required=False, max_length=120, help_text="For example, Missed appointment"
    )
    summary = _text("What it is about")
    wanted_outcome = _text("What the resident wants to happen", required=False, max_length=5_000, rows=3)
    accepted_late_reason = _text(
        "Why it is accepted late (if it is)",
        required=False,
        max_length=2_000,
        rows=2,
        help_text="Only for a complaint about something more than 12 months ago",
    )
    attachments = MultipleFileField(label="Attachments", help_text=ATTACHMENT_HELP)

    def __init__(self, *args: Any, procedures: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", "Choose a procedure"), *((p.pk, p.name) for p in procedures)]  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate().strftime("%Y-%m-%d"))
            if len(procedures) == 1:
                self.initial.setdefault("procedure", procedures[0].pk)

    def received_at(self) -> datetime.datetime:
        data = self.cleaned_data
        time = data.get("received_time") or (
            timezone.localtime().time() if data["received_on"] == timezone.localdate() else datetime.time(12, 0)
        )
        return timezone.make_aware(datetime.datetime.combine(data["received_on"], time))


class ExtendForm(forms.Form):
    working_days = forms.IntegerField(label="How many more working days?", min_value=1, max_value=60,
                                      error_messages={"required": "Enter how many more working days"})  # fmt: skip
    reason = _text(
        "Why more time is needed", max_length=2_000, rows=3, help_text="The resident is told this in writing"
    )


class RespondForm(forms.Form):
    outcome = forms.ChoiceField(label="Decision", choices=CaseStage.Outcome.choices, widget=forms.RadioSelect,
                                error_messages={"required": "Choose the decision"})  # fmt: skip
    reasons = _text("Reasons for the decision", max_length=20_000)
    remedy = _text("What we will do to put it right", required=False, max_length=20_000, rows=3,
                   help_text="An apology, an explanation, an action with its date, a change to a policy")  # fmt: skip
    compensation = forms.DecimalField(label="Money offered, in pounds", required=False, min_value=Decimal(0),
                                      max_digits=9, decimal_places=2)  # fmt: skip


class EscalateForm(forms.Form):
    to = forms.TypedChoiceField(label="Where it goes next", coerce=int, widget=forms.RadioSelect,
                                error_messages={"required": "Choose where it goes next"})  # fmt: skip
    reason = _text("Anything the resident said about why (optional)", required=False, max_length=5_000, rows=3,
                   help_text="Nobody has to give a reason to take a complaint further")  # fmt: skip

    def __init__(self, *args: Any, routes: list[Stage], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(s.pk, s.name) for s in routes]  # type: ignore[attr-defined]
        if len(routes) == 1:
            self.initial.setdefault("to", routes[0].pk)


class ReferForm(forms.Form):
    to = forms.ChoiceField(label="Referred to", choices=CaseEvent.Referral.choices, widget=forms.RadioSelect,
                           error_messages={"required": "Choose who it is referred to"})  # fmt: skip
    note = _text("Note", required=False, max_length=2_000, rows=3)


class DissatisfactionForm(forms.Form):
    details = _text("What the resident is unhappy about", max_length=5_000, rows=4)


class LearningForm(forms.Form):
    learning = _text("What will change because of it", required=False, max_length=2_000, rows=3,
                     help_text="Written for residents, with no names or addresses")  # fmt: skip
    publish = forms.BooleanField(label='Publish it in "you said, we did" and the annual report', required=False)


class AssignForm(forms.Form):
    handler = forms.TypedChoiceField(label="Who looks after it", coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].choices = [
            ("", "Nobody yet"),
            *((u.pk, u.get_full_name() or u.username) for u in people),
        ]  # type: ignore[attr-defined]


class CaseFilterForm(forms.Form):
    q = forms.CharField(label="Reference, person reference or words", required=False, max_length=100)
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "Any kind"), *Case.Kind.choices])
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Open or closed"), *Case.Status.choices])


class SettingsForm(forms.Form):
    head_of_service = forms.TypedChoiceField(label="Head of Service", coerce=int, required=False, empty_value=None,
                                             help_text="Told when a resident is dissatisfied or a case is escalated twice. "
                                             "With nobody named, the managers are told.")  # fmt: skip
    oversight_group = forms.TypedChoiceField(label="Group that oversees concerns about the compact", coerce=int,
                                             required=False, empty_value=None,
                                             help_text="For example, the Involvement Monitoring Panel")  # fmt: skip
    remind_days_before = forms.IntegerField(label="Remind the handler this many working days before a deadline",
                                            min_value=0, max_value=20,
                                            error_messages={"required": "Enter how many working days before"})  # fmt: skip
    ombudsman_details = _text("The Housing Ombudsman's contact details", max_length=1_000, rows=3)

    def __init__(self, *args: Any, people: list[Any], groups: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["head_of_service"].choices = [
            ("", "Nobody named"),
            *((u.pk, u.get_full_name() or u.username) for u in people),
        ]  # type: ignore[attr-defined]
        self.fields["oversight_group"].choices = [("", "None"), *((g.pk, g.name) for g in groups)]  # type: ignore[attr-defined]


class LetterTemplateForm(forms.Form):
    subject = forms.CharField(label="Subject", max_length=200, error_messages={"required": "Enter a subject"})
    body = _text("Letter", max_length=20_000, rows=14)


class StageForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the stage's name"})
    handler = forms.CharField(label="Who handles it", max_length=200, error_messages={"required": "Say who handles it"})
    handler_group = forms.TypedChoiceField(label="Panel that considers it at its meetings", coerce=int,
                                           required=False, empty_value=None)  # fmt: skip
    acknowledge_days = forms.IntegerField(
        label="Acknowledge within (working days)", required=False, min_value=0, max_value=100
    )
    respond_days = forms.IntegerField(label="Respond within (working days)", required=False, min_value=0, max_value=200,
                                      help_text="Leave blank if there is no deadline")  # fmt: skip
    respond_from = forms.ChoiceField(label="Counted from", choices=Stage.Clock.choices, widget=forms.RadioSelect,
                                     error_messages={"required": "Choose what the response time is counted from"})  # fmt: skip
    extension_days = forms.IntegerField(label="Extension allowed (working days)", min_value=0, max_value=100,
                                        error_messages={"required": "Enter the extension allowed, or 0"})  # fmt: skip
    extension_needs_reasons = forms.BooleanField(
        label="The resident must be told of an extension, with reasons, before the deadline", required=False
    )
    different_decider = forms.BooleanField(
        label="Decided by someone who did not decide the stage before", required=False
    )
    tsm_stage = forms.TypedChoiceField(label="Counts in the TSM return (CH01, CH02) as", coerce=int, required=False,
                                       empty_value=None, choices=[("", "Neither"), (1, "Stage 1"), (2, "Stage 2")])  # fmt: skip

    def __init__(self, *args: Any, groups: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler_group"].choices = [("", "None"), *((g.pk, g.name) for g in groups)]  # type: ignore[attr-defined]


class AssessmentForm(forms.Form):
    approved_on = date_field("Date the governing body approved it", required=False)
    governing_body_response = _text("The governing body's response", required=False, max_length=10_000, rows=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for r in REQUIREMENTS:
            self.fields[f"meets_{r.code}"] = forms.ChoiceField(
                label=f"{r.code}: does it meet this?",
                required=False,
                choices=[("", "Not assessed"), *CodeAssessmentItem.Meets.choices],
            )
            self.fields[f"evidence_{r.code}"] = _text(
                f"Evidence for {r.code}", required=False, max_length=5_000, rows=2
            )
            self.fields[f"action_{r.code}"] = _text(
                f"What we will do for {r.code}", required=False, max_length=5_000, rows=2
            )

    def items(self) -> dict[str, tuple[str, str, str]]:
        d = self.cleaned_data
        return {r.code: (d[f"meets_{r.code}"], d[f"evidence_{r.code}"], d[f"action_{r.code}"]) for r in REQUIREMENTS}


# --- Residents ----------------------------------------------------------------------------------

RAISE_KINDS = [
    (Case.Kind.COMPLAINT, "A complaint: I am unhappy with a service or something the landlord did or did not do"),
    (Case.Kind.CONCERN, "A concern that the tenant compact is not being kept"),
    (Case.Kind.COMPLIMENT, "A compliment: something or someone was good"),
    (Case.Kind.COMMENT, "A comment or suggestion"),
]


class RaiseForm(OnceForm):
    kind = forms.ChoiceField(label="What would you like to tell us?", choices=RAISE_KINDS, widget=forms.RadioSelect,
                             error_messages={"required": "Choose what you would like to tell us"})  # fmt: skip
    summary = _text("What happened", help_text="Tell us in your own words. Include dates and places if you can.")
    wanted_outcome = _text("What would you like us to do?", required=False, max_length=5_000, rows=3)
    issue_date = date_field("When did it happen? (optional)", required=False)
    service_area = forms.CharField(label="Which service is it about? (optional)", required=False, max_length=120,
                                   help_text="For example, repairs, cleaning, anti-social behaviour")  # fmt: skip
    attachments = MultipleFileField(label="Photos or documents (optional)", help_text=ATTACHMENT_HELP)


class ResidentEscalateForm(forms.Form):
    to = forms.TypedChoiceField(label="Where should it go next?", coerce=int, widget=forms.RadioSelect,
                                error_messages={"required": "Choose where it should go next"})  # fmt: skip
    reason = _text("Tell us why, if you want to (optional)", required=False, max_length=5_000, rows=4,
                   help_text="You do not have to give a reason")  # fmt: skip

    def __init__(self, *args: Any, routes: list[Stage], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(s.pk, s.name) for s in routes]  # type: ignore[attr-defined]
        if len(routes) == 1:
            self.fields["to"].widget = forms.HiddenInput()
            self.initial["to"] = routes[0].pk


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label="Year", coerce=int)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"April {y} to March {y + 1}") for y in years]  # type: ignore[attr-defined]


class QuarterForm(YearForm):
    quarter = forms.TypedChoiceField(
        label="Quarter",
        coerce=int,
        choices=[(1, "April to June"), (2, "July to September"), (3, "October to December"), (4, "January to March")],
    )


LETTER_KINDS = LetterTemplate.Kind

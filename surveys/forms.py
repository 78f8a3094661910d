"""Forms for building surveys, inviting residents and answering. The answer forms are built
from the questions of a page; the services check the rules and the views show what they say."""

from __future__ import annotations

from typing import Any

from django import forms

from core.forms import OnceForm, date_field
from surveys.models import Question, Response, Section, Survey


class SurveyForm(OnceForm):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    purpose = forms.CharField(
        label="What it is for",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5_000,
        help_text="Residents read this first: what you want to know and what will happen to the answers.",
        error_messages={"required": "Say what it is for and what will happen to the answers"},
    )
    # A TSM survey (with its sample) and a quick poll (one question) are made from their own pages.
    kind = forms.ChoiceField(label="Kind", choices=[c for c in Survey.Kind.choices if c[0] not in ("tsm", "poll")],
                             widget=forms.RadioSelect, initial="survey")  # fmt: skip
    anonymous = forms.BooleanField(label="Anonymous: answers are not linked to the resident", required=False)
    opens_on = date_field("Opens on", required=False)
    closes_on = date_field("Closes on", required=False)


class SectionForm(forms.Form):
    title = forms.CharField(
        label="Page heading", max_length=200, error_messages={"required": "Enter a heading for the page"}
    )
    intro = forms.CharField(label="Introduction (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class QuestionForm(forms.Form):
    section = forms.TypedChoiceField(label="Page", coerce=int)
    kind = forms.ChoiceField(label="Kind of question", choices=Question.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Choose the kind of question"})  # fmt: skip
    text = forms.CharField(label="Question", max_length=500, error_messages={"required": "Enter the question"})
    hint = forms.CharField(label="Hint (optional)", required=False, max_length=500)
    required = forms.BooleanField(label="Everyone asked must answer it", required=False, initial=True)
    options = forms.CharField(
        label="Options, one a line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For a list, a scale or a grid. A scale's points go in order, for example Very satisfied first.",
    )
    rows = forms.CharField(label="Grid lines, one a line", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text="Only for a grid: the things each rated on the scale")  # fmt: skip
    show_if_code = forms.ChoiceField(label="Only ask this if", required=False)
    show_if_values = forms.CharField(label="the answer was one of (one a line)", required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args: Any, sections: list[Section], earlier: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(s.pk, s.title) for s in sections]  # type: ignore[attr-defined]
        self.fields["show_if_code"].choices = [  # type: ignore[attr-defined]
            ("", "Always ask it"),
            *((q.code, f"{q.code}: {q.text}") for q in earlier if q.kind in ("single", "multiple", "scale")),
        ]

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]


class AudienceForm(forms.Form):
    areas = forms.TypedMultipleChoiceField(
        label="Areas", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    tenures = forms.MultipleChoiceField(label="Tenures", required=False, widget=forms.CheckboxSelectMultiple)
    interests = forms.TypedMultipleChoiceField(label="Interests", coerce=int, required=False,
                                               widget=forms.CheckboxSelectMultiple)  # fmt: skip
    group = forms.TypedChoiceField(label="Members of a group", coerce=int, required=False, empty_value=None)
    armchair_only = forms.BooleanField(label="Armchair advisers only (online or by post, no meetings)", required=False)
    sample = forms.IntegerField(label="Invite a random sample of (optional)", required=False, min_value=1,
                                help_text="Leave blank to invite everyone who matches")  # fmt: skip

    def __init__(self, *args: Any, areas: list[Any], tenures: list[tuple[str, str]], interests: list[Any],
                 groups: list[Any], **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = [(a.pk, a.name) for a in areas]  # type: ignore[attr-defined]
        self.fields["tenures"].choices = tenures  # type: ignore[attr-defined]
        self.fields["interests"].choices = [(i.pk, i.label) for i in interests]  # type: ignore[attr-defined]
        self.fields["group"].choices = [("", "Any"), *((g.pk, g.name) for g in groups)]  # type: ignore[attr-defined]


class ThemeForm(forms.Form):
    themes = forms.CharField(label="Themes, one a line", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label="What you heard and what you will do",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
        help_text="Residents read this on your public consultations page: 'you said, we did'.",
        error_messages={"required": "Write the summary residents will read"},
    )


def _field(question: Question, prefix: str = "") -> dict[str, forms.Field]:
    """The form field(s) for one question, named by its code (a grid: one per line)."""
    K = Question.Kind
    label, hint, required = question.text, question.hint, question.required
    common: dict[str, Any] = {"label": label, "help_text": hint, "required": required}
    choices = [(o, o) for o in question.options]
    if question.kind in (K.SINGLE, K.SCALE):
        return {question.code: forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)}
    if question.kind == K.MULTIPLE:
        return {
            question.code: forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
        }
    if question.kind == K.MATRIX:
        return {
            f"{question.code}__{i}": forms.ChoiceField(
                label=f"{label}: {row}", choices=choices, widget=forms.RadioSelect, required=required
            )
            for i, row in enumerate(question.rows)
        }
    if question.kind == K.TEXT:
        return {question.code: forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)}
    if question.kind == K.DATE:
        return {question.code: date_field(label, required=required, help_text=hint or "For example, 27 3 2026")}
    return {question.code: forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)}


class AnswerForm(forms.Form):
    """One page of questions. Field checks are left to the service (`clean_answer`), so a
    resident sees the same messages online as staff typing in a paper form."""

    def __init__(self, *args: Any, questions: list[Question], initial_answers: dict[str, Any] | None = None,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.questions = questions
        initial_answers = initial_answers or {}
        for q in questions:
            for name, f in _field(q).items():
                f.required = False  # the service says what is missing, in its own words
                self.fields[name] = f
            value = initial_answers.get(q.code)
            if q.kind == Question.Kind.MATRIX and isinstance(value, dict):
                for i, row in enumerate(q.rows):
                    self.initial[f"{q.code}__{i}"] = value.get(row)
            elif value is not None:
                self.initial[q.code] = value

    def values(self) -> dict[str, Any]:
        """Raw values by question code, as the service expects them."""
        data = self.cleaned_data
        out: dict[str, Any] = {}
        for q in self.questions:
            if q.kind == Question.Kind.MATRIX:
                out[q.code] = {row: data.get(f"{q.code}__{i}") or "" for i, row in enumerate(q.rows)}
            elif q.kind == Question.Kind.DATE:
                out[q.code] = data.get(q.code)
            else:
                out[q.code] = data.get(q.code)
        return out

    def show_errors(self, errors: dict[str, list[str]]) -> None:
        for code, messages in errors.items():
            q = next((q for q in self.questions if q.code == code), None)
            if q is None:
                continue
            name = f"{code}__0" if q.kind == Question.Kind.MATRIX else code
            for message in messages:
                self.add_error(name, message)


class EntryForm(OnceForm):
    method = forms.ChoiceField(
        label="How were the answers given?",
        choices=[c for c in Response.Method.choices if c[0] != Response.Method.ONLINE],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the answers were given"},
    )
    resident_reference = forms.CharField(label="Resident's person reference (optional)", required=False, max_length=40)


class PollForm(OnceForm):
    question = forms.CharField(label="Question", max_length=300, error_messages={"required": "Enter the question"},
                               help_text="Short enough for a text message.")  # fmt: skip
    options = forms.CharField(
        label="Answers, one a line",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="From 2 to 9. Residents reply with the number of their answer.",
        error_messages={"required": "Give from 2 to 9 answers, one a line"},
    )
    closes_on = date_field("Closes at the end of", required=False,
                           help_text="Leave blank to close it at the end of today.")  # fmt: skip


class FocusGroupLinkForm(forms.Form):
    opportunity = forms.TypedChoiceField(label="Which focus group?", coerce=int, widget=forms.RadioSelect,
                                         error_messages={"required": "Choose the focus group"})  # fmt: skip

    def __init__(self, *args: Any, opportunities: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opportunity"].choices = [  # type: ignore[attr-defined]
            (o.pk, f"{o.title} ({o.starts_at:%-d %B %Y})") for o in opportunities
        ]


class FocusGroupNotesForm(forms.Form):
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 10}),
                            help_text="What was said, without naming anyone.")  # fmt: skip
    themes = forms.CharField(label="Themes it raised, one a line", required=False,
                             widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="Use the same words as the themes of written answers, so they add up.")  # fmt: skip


class ChangeForm(OnceForm):
    you_said = forms.CharField(label="You said", widget=forms.Textarea(attrs={"rows": 3}),
                               help_text="What residents told you, in their words where you can.",
                               error_messages={"required": "Say what residents told you"})  # fmt: skip
    we_did = forms.CharField(label="We did", widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="What changed because of it, or what you will do and by when.",
                             error_messages={"required": "Say what you did, or will do, about it"})  # fmt: skip
    done_on = date_field("Date it changed", required=False,
                         help_text="Leave blank if it has not happened yet. For example, 27 3 2026.")  # fmt: skip
    link = forms.CharField(label="Where to see what changed (optional)", required=False, max_length=500,
                           help_text="A web address, for example the new policy or the local offer page.")  # fmt: skip
    link_text = forms.CharField(label="Words for the link (optional)", required=False, max_length=200)

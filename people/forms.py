from __future__ import annotations

import re

from django import forms

from people.models import (
    PREFERENCE_FIELDS,
    Area,
    Channel,
    Consent,
    EqualityProfile,
    FormatNeed,
    Interest,
    InvolvementLevel,
    Resident,
    Tenure,
)

# UK numbers, with or without +44, spaces, brackets or dashes.
PHONE_RE = re.compile(r"^(\+44\s?|0)[\d\s()-]{9,14}$")


def _blank(label: str, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", label), *choices]


class ResidentFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, help_text="Name, postcode, person reference or email")
    area = forms.TypedChoiceField(label="Area", required=False, coerce=int, empty_value=None)
    tenure = forms.ChoiceField(label="Tenure", required=False, choices=_blank("Any tenure", Tenure.choices))
    interest = forms.ChoiceField(label="Interest", required=False)
    level = forms.ChoiceField(
        label="Involvement level", required=False, choices=_blank("Any level", InvolvementLevel.choices)
    )
    format_need = forms.ChoiceField(label="Format need", required=False)
    consent = forms.ChoiceField(
        label="Consent given for", required=False, choices=_blank("Any or none", Consent.Purpose.choices)
    )
    status = forms.ChoiceField(label="Status", required=False, choices=_blank("Any status", Resident.Status.choices))

    def __init__(self, *args: object, areas: list[Area], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["area"].choices = _blank("Any area", [(str(a.pk), a.name) for a in areas])  # type: ignore[attr-defined]
        self.fields["interest"].choices = _blank("Any interest", list(Interest.objects.values_list("code", "label")))  # type: ignore[attr-defined]
        self.fields["format_need"].choices = _blank(  # type: ignore[attr-defined]
            "Any or none", list(FormatNeed.objects.values_list("code", "label"))
        )
        for name in ("q",):
            self.fields[name].widget.attrs["autocomplete"] = "off"


class PreferencesForm(forms.ModelForm):
    interests = forms.ModelMultipleChoiceField(
        queryset=Interest.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label="Interests"
    )
    format_needs = forms.ModelMultipleChoiceField(
        queryset=FormatNeed.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Accessible formats needed",
    )

    class Meta:
        model = Resident
        fields = list(PREFERENCE_FIELDS)
        widgets = {
            "preferred_channel": forms.RadioSelect,
            "involvement_level": forms.RadioSelect,
            "time_available": forms.RadioSelect,
        }
        labels = {
            "contact_by_email": "Email is allowed",
            "contact_by_text": "Text messages are allowed",
            "contact_by_post": "Post is allowed",
            "contact_by_phone": "Phone calls are allowed",
        }

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        channel = data.get("preferred_channel")
        if channel == Channel.EMAIL and not data.get("email"):
            self.add_error("email", "Enter an email address, or choose another way to contact this resident")
        if channel == Channel.TEXT and not data.get("mobile"):
            self.add_error("mobile", "Enter a mobile number, or choose another way to contact this resident")
        if channel == Channel.PHONE and not (data.get("phone") or data.get("mobile")):
            self.add_error("phone", "Enter a phone number, or choose another way to contact this resident")
        if channel and not data.get(f"contact_by_{channel}"):
            # The preferred channel is always an allowed one.
            data[f"contact_by_{channel}"] = True
        return data


class MatchForm(forms.Form):
    tenancy_reference = forms.CharField(label="Tenancy reference", max_length=40)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(choices=Consent.Purpose.choices, widget=forms.RadioSelect, label="What for")
    method = forms.ChoiceField(
        choices=[c for c in Consent.Method.choices if c[0] != "import"], widget=forms.RadioSelect, label="How given"
    )


class WithdrawConsentForm(forms.Form):
    consent = forms.IntegerField(widget=forms.HiddenInput)
    method = forms.ChoiceField(choices=[c for c in Consent.Method.choices if c[0] != "import"], label="How withdrawn")


class EqualityProfileForm(forms.ModelForm):
    date_of_birth = forms.DateField(
        required=False,
        label="Date of birth",
        help_text="For example, 27 3 1967 or 1967-03-27",
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"],
    )

    class Meta:
        model = EqualityProfile
        fields = list(EqualityProfile.COMPLETENESS_FIELDS)
        widgets = {
            "sex": forms.RadioSelect,
            "gender_identity_same_as_sex": forms.RadioSelect,
            "disability": forms.RadioSelect,
            "caring_responsibilities": forms.RadioSelect,
        }

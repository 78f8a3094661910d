"""The public 'Get involved' form. No JavaScript needed. Spam resistance without a CAPTCHA
(which fails many disabled users): a honeypot field people never see, and a signed token that
says when the form was shown, so instant or replayed-days-later posts are refused. The same
token carries the one-time submission key, so a double-submitted form makes one record."""

from __future__ import annotations

import secrets
import time
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing

from people.forms import PHONE_RE
from people.models import Channel, FormatNeed, Interest, InvolvementLevel, Tenure, TimeAvailable

SALT = "public.expression-of-interest"
MAX_AGE_SECONDS = 24 * 60 * 60


def new_form_token() -> str:
    return signing.dumps({"k": secrets.token_urlsafe(24), "t": int(time.time())}, salt=SALT)


class ExpressionOfInterestForm(forms.Form):
    first_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter your first name"}
    )
    last_name = forms.CharField(label="Last name", max_length=100, error_messages={"required": "Enter your last name"})
    address = forms.CharField(
        label="Address",
        max_length=300,
        help_text="House or flat number and street",
        error_messages={"required": "Enter your address"},
    )
    postcode = forms.CharField(label="Postcode", max_length=10, error_messages={"required": "Enter your postcode"})
    tenure = forms.ChoiceField(
        label="Do you rent or own your home?",
        choices=Tenure.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you rent or own your home"},
    )
    preferred_channel = forms.ChoiceField(
        label="How should we contact you?",
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how we should contact you"},
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    mobile = forms.CharField(label="Mobile phone number", max_length=30, required=False)
    phone = forms.CharField(label="Other phone number", max_length=30, required=False)
    involvement_level = forms.ChoiceField(
        label="How much would you like to be involved?",
        choices=InvolvementLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how much you would like to be involved"},
    )
    time_available = forms.ChoiceField(
        label="How much time could you give?", choices=TimeAvailable.choices, widget=forms.RadioSelect, required=False
    )
    interests = forms.ModelMultipleChoiceField(
        label="What are you interested in?",
        queryset=Interest.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply",
    )
    format_needs = forms.ModelMultipleChoiceField(
        label="Do you need information in another format?",
        queryset=FormatNeed.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply",
    )
    preferred_language = forms.CharField(
        label="If English is not your first language, which language should we use?", max_length=60, required=False
    )
    agree = forms.BooleanField(
        label="I agree to be contacted about getting involved",
        error_messages={"required": "Confirm you agree to be contacted about getting involved"},
    )
    # Honeypot: hidden from people (and from screen readers), filled in by bots.
    website = forms.CharField(required=False, label="Leave this blank")
    form_token = forms.CharField(widget=forms.HiddenInput)

    def clean_postcode(self) -> str:
        from people.imports import POSTCODE_RE

        compact = "".join(self.cleaned_data["postcode"].upper().split())
        if not POSTCODE_RE.match(compact):
            raise forms.ValidationError("Enter a real postcode, like OX1 1AA")
        return f"{compact[:-3]} {compact[-3:]}"

    def clean_mobile(self) -> str:
        return _clean_phone(self.cleaned_data["mobile"], "Enter a mobile phone number, like 07700 900 982")

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data["phone"], "Enter a phone number, like 01632 960 001")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError("Sorry, we could not accept this form. Please try again.", code="spam")
        token = data.get("form_token", "")
        try:
            payload = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
        except signing.SignatureExpired:
            raise forms.ValidationError(
                "This form was open for too long. Check your answers and send it again.", code="expired"
            ) from None
        except signing.BadSignature:
            raise forms.ValidationError(
                "Sorry, we could not accept this form. Please try again.", code="spam"
            ) from None
        if time.time() - payload["t"] < settings.EXPRESSION_OF_INTEREST_MIN_SECONDS:
            raise forms.ValidationError("Sorry, we could not accept this form. Please try again.", code="spam")
        data["submission_key"] = payload["k"]
        channel = data.get("preferred_channel")
        needed = {
            "email": ("email", "Enter your email address, or choose another way for us to contact you"),
            "text": ("mobile", "Enter your mobile phone number, or choose another way for us to contact you"),
            "phone": ("phone", "Enter a phone number, or choose another way for us to contact you"),
        }
        if channel in needed:
            field, message = needed[channel]
            if not data.get(field) and not (channel == "phone" and data.get("mobile")):
                self.add_error(field, message)
        return data


def _clean_phone(value: str, message: str) -> str:
    value = value.strip()
    if value and not PHONE_RE.match(value):
        raise forms.ValidationError(message)
    return value

"""Letters to residents about their cases, from templates the landlord can edit.

A template is plain text with $placeholders (Python's `string.Template`, filled with
`safe_substitute`): it can put in the case's facts and nothing else, so an edited template can
never reach into the system the way a full template language could. A placeholder the letter
does not know is left as written, so a mistake shows on the page instead of vanishing.
"""

from __future__ import annotations

from string import Template

from complaints.models import LetterTemplate

K = LetterTemplate.Kind

PLACEHOLDERS: dict[str, str] = {
    "name": "The resident's name",
    "reference": "The case reference, e.g. CMP-000123",
    "landlord": "Your organisation's name",
    "stage": "The stage it is at, e.g. Stage 1",
    "handler": "Who handles this stage",
    "received": "The date it was received or escalated",
    "acknowledge_by": "When it will be acknowledged",
    "respond_by": "When we will answer (the extended date when extended)",
    "reason": "Why we need more time",
    "outcome": "Upheld, partly upheld or not upheld",
    "reasons": "The reasons for the decision",
    "remedy": "What we will do to put things right",
    "compensation": "Any money offered",
    "next_step": "What the resident can do next, if unhappy",
    "ombudsman": "The Housing Ombudsman's contact details",
}

DEFAULTS: dict[str, tuple[str, str]] = {
    K.RECEIVED: (
        "We have received your $kind: $reference",
        "Dear $name,\n\nThank you for contacting $landlord. We have received your $kind and its reference is "
        "$reference. Please quote it if you contact us about it.\n\n$acknowledge_line\n\nYou can follow it online "
        "in your account.\n\n$landlord",
    ),
    K.ACKNOWLEDGED: (
        "Your complaint $reference: $stage",
        "Dear $name,\n\nWe are looking into your complaint $reference at $stage. $handler will look into it.\n\n"
        "We will send you our answer by $respond_by.\n\n$landlord",
    ),
    K.EXTENDED: (
        "Your complaint $reference: we need more time",
        "Dear $name,\n\nWe are sorry, but we need more time to answer your complaint $reference properly.\n\n"
        "Why: $reason\n\nWe will now answer by $respond_by.\n\nIf you are unhappy with this, you can contact the "
        "Housing Ombudsman: $ombudsman\n\n$landlord",
    ),
    K.RESPONDED: (
        "Our answer to your complaint $reference",
        "Dear $name,\n\nThis is our answer to your complaint $reference at $stage.\n\nOur decision: $outcome\n\n"
        "Why: $reasons\n\nWhat we will do: $remedy\n\nMoney offered: $compensation\n\n$next_step\n\n$landlord",
    ),
    K.ESCALATED: (
        "Your complaint $reference has moved to $stage",
        "Dear $name,\n\nWe have received your request to take your complaint $reference further. You do not "
        "need to tell us why. It is now at $stage and $handler will look at it again.\n\n$acknowledge_line\n\n"
        "$landlord",
    ),
    K.CLOSED: (
        "Your $kind $reference is closed",
        "Dear $name,\n\nWe have closed your $kind $reference. Thank you for telling us about it.\n\n"
        "If you are still unhappy you can contact the Housing Ombudsman: $ombudsman\n\n$landlord",
    ),
}


def template_for(organisation_id: int, kind: str) -> tuple[str, str]:
    """The landlord's own subject and body for this kind of letter, or the default."""
    own = LetterTemplate.objects.filter(organisation_id=organisation_id, kind=kind).first()
    if own is not None:
        return own.subject, own.body
    return DEFAULTS[kind]


def fill(text: str, values: dict[str, str]) -> str:
    return Template(text).safe_substitute(values)

"""The Housing Ombudsman's Complaint Handling Code (2024): the requirements a landlord assesses
itself against each year, in the Code's own order, in plain words. The landlord records whether
it meets each one, its evidence and what it will do (`CodeAssessmentItem`); where Involve holds
the evidence itself (timeliness, the stages of each procedure), the self-assessment page shows it
beside the requirement."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Requirement:
    code: str
    section: str
    text: str
    # The key of a figure Involve works out from the cases (see selectors.code_evidence).
    evidence: str = ""


SECTIONS = (
    "Defining complaints",
    "Exclusions",
    "Accessibility and awareness",
    "Complaint handling staff",
    "The complaint handling process",
    "Stage 1",
    "Stage 2",
    "Putting things right",
    "Self-assessment, reporting and compliance",
    "Scrutiny and oversight",
)

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        "1.2",
        SECTIONS[0],
        "We use the Code's definition of a complaint: any expression of dissatisfaction, "
        "however made, about our service, actions or lack of action.",
    ),  # fmt: skip
    Requirement(
        "1.3", SECTIONS[0], "A resident does not have to use the word 'complaint' for it to be treated as one."
    ),
    Requirement(
        "1.5",
        SECTIONS[0],
        "A first service request is recorded and not treated as a complaint; "
        "dissatisfaction with how it is handled is logged as a complaint while the request carries on.",
        evidence="service_requests",
    ),  # fmt: skip
    Requirement(
        "2.1",
        SECTIONS[1],
        "We accept a complaint unless there is a valid reason not to, and explain any "
        "refusal in writing with the right to go to the Ombudsman.",
    ),  # fmt: skip
    Requirement(
        "2.3",
        SECTIONS[1],
        "We accept complaints about issues up to 12 months old, or from when the resident "
        "became aware of them, and use discretion beyond that.",
        evidence="accepted_late",
    ),  # fmt: skip
    Requirement(
        "3.1",
        SECTIONS[2],
        "Residents can complain in different ways (online, in writing, by phone, in person, through a representative).",
        evidence="channels",
    ),  # fmt: skip
    Requirement(
        "3.4",
        SECTIONS[2],
        "We publish our complaints policy and make residents aware of it and of the Ombudsman's service.",
    ),  # fmt: skip
    Requirement(
        "4.1",
        SECTIONS[3],
        "We have a person or team responsible for complaints, with the access and authority to put things right.",
    ),  # fmt: skip
    Requirement(
        "5.1",
        SECTIONS[4],
        "We have a single complaints policy with exactly two stages and no informal stage.",
        evidence="stages",
    ),  # fmt: skip
    Requirement("5.5", SECTIONS[4], "We treat a representative's complaint as the resident's, with consent."),
    Requirement(
        "5.11",
        SECTIONS[4],
        "We keep a full record of each complaint, its outcome at each stage and the letters we sent.",
    ),  # fmt: skip
    Requirement(
        "6.2",
        SECTIONS[5],
        "We acknowledge, define and log a stage 1 complaint within 5 working days of receiving it.",
        evidence="stage1_acknowledged",
    ),  # fmt: skip
    Requirement(
        "6.4",
        SECTIONS[5],
        "We answer a stage 1 complaint within 10 working days of the acknowledgement, "
        "or within an extension of no more than 10 working days explained in writing beforehand.",
        evidence="stage1_answered",
    ),  # fmt: skip
    Requirement(
        "6.9", SECTIONS[5], "The stage 1 answer says what was decided and why, any remedy, and how to escalate."
    ),  # fmt: skip
    Requirement(
        "6.12",
        SECTIONS[6],
        "We acknowledge a stage 2 request within 5 working days of receiving it, and "
        "the resident need not say why they escalate.",
        evidence="stage2_acknowledged",
    ),  # fmt: skip
    Requirement(
        "6.15",
        SECTIONS[6],
        "We answer at stage 2 within 20 working days of the acknowledgement, or within an "
        "extension of no more than 20 working days explained in writing beforehand.",
        evidence="stage2_answered",
    ),  # fmt: skip
    Requirement("6.13", SECTIONS[6], "Stage 2 is decided by someone who did not decide stage 1."),
    Requirement(
        "7.1",
        SECTIONS[7],
        "Where something went wrong we put it right: an apology, an explanation, action, "
        "money, or a change to a decision or policy.",
        evidence="remedies",
    ),  # fmt: skip
    Requirement(
        "8.1",
        SECTIONS[8],
        "We publish an annual complaints performance and service improvement report, "
        "with this self-assessment and our governing body's response.",
    ),  # fmt: skip
    Requirement("8.2", SECTIONS[8], "Our governing body approves this self-assessment."),
    Requirement("9.1", SECTIONS[9], "We learn from complaints and tell residents what changed.", evidence="learning"),
    Requirement(
        "9.6",
        SECTIONS[9],
        "A member of the governing body is responsible for complaints and reports on "
        "them regularly; residents' panels see the learning.",
    ),  # fmt: skip
)

BY_CODE = {r.code: r for r in REQUIREMENTS}

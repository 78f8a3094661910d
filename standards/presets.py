"""Local offers a landlord can load and then edit. One so far: Oxford City Council's Local Offer
for 2014-16 (seed 002, approved by the City Executive Board on 3 July 2014), whole.

Promises are quoted as the seed words them. A target that names a month ("by October 2014",
"from December 2014") is due on the last day of that month. "Two to four working days" is kept
as its outer limit, 4 working days, with the seed's words beside it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from standards.models import Event, Measure, Period, Rule, Subject, Unit

K = Measure.Kind
D = datetime.date


@dataclass(frozen=True)
class MeasureSpec:
    code: str
    name: str
    kind: str
    target: Decimal | None = None
    target_text: str = ""
    subject: str = Subject.NONE
    categories: tuple[str, ...] = ()
    amount: int | None = None
    unit: str = ""
    start: str = ""
    end: str = ""
    rule: str = ""
    sets_due: bool = False
    times: int | None = None
    per: str = ""
    due: datetime.date | None = None
    how: str = ""
    # Milestones the offer itself reports as done: (date, note).
    done: tuple[datetime.date, str] | None = None


@dataclass(frozen=True)
class CommitmentSpec:
    code: str
    theme: str
    promise: str
    measures: tuple[MeasureSpec, ...]


@dataclass(frozen=True)
class AreaSpec:
    code: str
    name: str
    commitments: tuple[CommitmentSpec, ...]


@dataclass(frozen=True)
class CategorySpec:
    subject: str
    code: str
    name: str
    # (what falls in it, as the seed lists it; words in a description that suggest it)
    types: tuple[tuple[str, str], ...] = field(default=())


@dataclass(frozen=True)
class Preset:
    key: str
    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    categories: tuple[CategorySpec, ...]
    areas: tuple[AreaSpec, ...]


def _pc(value: str) -> Decimal:
    return Decimal(value)


def _within(
    code: str, name: str, target: str, amount: int, unit: str, start: str, end: str, **kw: object
) -> MeasureSpec:
    return MeasureSpec(
        code=code,
        name=name,
        kind=K.WITHIN_TIMESCALE,
        target=_pc(target),
        amount=amount,
        unit=unit,
        start=start,
        end=end,
        rule=kw.pop("rule", Rule.WITHIN),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def _milestone(code: str, name: str, due: datetime.date, target_text: str, **kw: object) -> MeasureSpec:
    return MeasureSpec(code=code, name=name, kind=K.MILESTONE, due=due, target_text=target_text, **kw)  # type: ignore[arg-type]


def _sample(code: str, name: str, target: str = "100", **kw: object) -> MeasureSpec:
    return MeasureSpec(code=code, name=name, kind=K.SAMPLE, target=_pc(target), subject=Subject.SURVEY, **kw)  # type: ignore[arg-type]


def _population(code: str, name: str, target: str | None, **kw: object) -> MeasureSpec:
    return MeasureSpec(
        code=code,
        name=name,
        kind=K.POPULATION,
        target=_pc(target) if target is not None else None,
        **kw,  # type: ignore[arg-type]
    )


R, A, H = Subject.REPAIR, Subject.ASB_CASE, Subject.HAZARD

OXFORD_2014 = Preset(
    key="oxford-2014",
    title="Oxford City Council Local Offer, July 2014 to March 2016",
    starts_on=D(2014, 7, 1),
    ends_on=D(2016, 3, 31),
    categories=(
        CategorySpec(R, "1", "Category 1: emergency"),
        CategorySpec(R, "2", "Category 2: urgent"),
        CategorySpec(R, "3", "Category 3: routine"),
        # The offer promises a fix within 30 days for category 1 hazards only (the serious ones).
        CategorySpec(H, "1", "HHSRS category 1"),
        CategorySpec(H, "2", "HHSRS category 2"),
        CategorySpec(
            A,
            "1",
            "Category 1 ASB: contact within one working day",
            (
                ("Child abuse", "child abuse, child neglect, child at risk"),
                ("Hate related incidents", "hate, hate crime, racist, racial, homophobic, transphobic, religious"),
                ("Domestic abuse", "domestic abuse, domestic violence, coercive"),
                (
                    "Allegations of drugs/substance misuse and drug dealing",
                    "drug dealing, dealing drugs, dealer, substance misuse, drugs",
                ),
                (
                    "Serious harassment/intimidation and threatening behaviour",
                    "serious harassment, intimidation, intimidating, threatening",
                ),
                (
                    "Criminal behaviour involving violence or threats of violence",
                    "threats of violence, violence, violent, weapon, knife",
                ),
                ("Removal of racist or offensive graffiti following a report", "racist graffiti, offensive graffiti"),
                ("Physical violence, such as assault", "assault, assaulted, attacked, punched"),
                ("Attacks on Oxford City Council staff", "attack on staff, staff attacked, staff assaulted"),
                ("Criminal threats", "criminal threats, threat to kill"),
                ("Other forms of anti-social behaviour requiring an immediate response", ""),
                ("Arson", "arson, set alight, set on fire, fire"),
            ),
        ),
        CategorySpec(
            A,
            "2",
            "Category 2 ASB: contact within two to four working days",
            (
                (
                    "Allegations of prostitution. Sexual acts and kerb crawling",
                    "prostitution, kerb crawling, sexual acts",
                ),
                ("Aggressive/abusive behaviour", "aggressive, abusive"),
                (
                    "Regular disturbances, such as noise",
                    "regular disturbances, disturbance, loud music, parties, every night",
                ),
                (
                    "Other forms of serious anti-social behaviour, which in our opinion, do not warrant an urgent or "
                    "immediate response",
                    "",
                ),
                ("Drug/solvent and alcohol abuse", "solvent, alcohol, drunk, glue sniffing"),
                (
                    "Verbal abuse and written intimidation and harassment.",
                    "verbal abuse, written intimidation, harassment, shouting abuse, name calling",
                ),
            ),
        ),
        CategorySpec(
            A,
            "3",
            "Category 3 ASB: contact within five working days",
            (
                ("Pet and animal nuisance", "dog, dogs, barking, cat, cats, pet, pets, animal, fouling"),
                ("Access disputes", "access dispute, right of way, blocked access"),
                ("Misuse of communal areas", "communal area, stairwell, landing, corridor"),
                ("Minor noise nuisance", "minor noise, noise, footsteps, doors banging"),
                ("Parking disputes where no restrictions are in place", "parking, parked"),
                ("Untidy gardens", "untidy garden, overgrown"),
                ("Litter, rubbish, refusal disposal and fly tipping", "litter, rubbish, fly tipping, fly-tipping"),
                ("Lifestyle disputes where breaches of tenancy can’t be proved", "lifestyle, cooking smells"),
                ("Running a business without permission", "running a business, business from home"),
                ("Disputes between children", "children, kids"),
                ("Car repairs", "car repairs, repairing cars, fixing cars"),
                ("Gardening disputes", "hedge, hedges, tree, trees, gardening"),
                ("Nuisance from vehicles such as untaxed vehicles", "untaxed, abandoned car, abandoned vehicle"),
                ("Vandalism and damage to property", "vandalism, vandalised, damage, damaged, smashed, graffiti"),
                (
                    "Disputes about cleaning communal areas where a service charge does not exist.",
                    "cleaning communal, cleaning rota",
                ),
            ),
        ),
    ),
    areas=(
        AreaSpec(
            "repairs",
            "Repairs",
            (
                CommitmentSpec(
                    "rep-emergency",
                    "Response times performance",
                    "We will respond and make the situation safe within 24 hours",
                    (
                        _within(
                            "rep-cat1",
                            "Category 1 emergency repairs made safe within 24 hours",
                            "99.6",
                            24,
                            Unit.HOURS,
                            Event.REPORTED,
                            Event.MADE_SAFE,
                            subject=R,
                            categories=("1",),
                            sets_due=True,
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "rep-urgent",
                    "Response times performance",
                    "We will complete the repair within 3 working days",
                    (
                        _within(
                            "rep-cat2",
                            "Category 2 urgent repairs completed within 3 working days",
                            "99",
                            3,
                            Unit.WORKING_DAYS,
                            Event.REPORTED,
                            Event.COMPLETED,
                            subject=R,
                            categories=("2",),
                            sets_due=True,
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "rep-routine",
                    "Response times performance",
                    "We will complete the repair within 28 working days",
                    (
                        _within(
                            "rep-cat3",
                            "Category 3 routine repairs completed within 28 working days",
                            "96.5",
                            28,
                            Unit.WORKING_DAYS,
                            Event.REPORTED,
                            Event.COMPLETED,
                            subject=R,
                            categories=("3",),
                            sets_due=True,
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "rep-inspect",
                    "Quality measures",
                    "We will inspect at least 13% of repair work following completion to ensure that it meets "
                    "quality standards",
                    (
                        _population(
                            "rep-post-inspect",
                            "Completed repairs inspected afterwards",
                            "13",
                            subject=R,
                            how="Completed jobs post-inspected, as a share of all jobs completed.",
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "rep-first-visit",
                    "Quality measures",
                    "We aim to complete your repair on the first visit",
                    (
                        _milestone(
                            "rep-first-visit-model",
                            "Agree how first-visit fixes are measured",
                            D(2015, 4, 30),
                            "Agree model of measurement by April 2015",
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "rep-tidy",
                    "Quality measures",
                    "We will clean and tidy our work area before we leave your home and we aim to keep noise and "
                    "dust levels to a minimum",
                    (_sample("rep-tidy", "Work area left clean and tidy"),),
                ),
                CommitmentSpec(
                    "rep-identity",
                    "Quality measures",
                    "We will provide proof of identity before entering your home and always wear our uniforms",
                    (_sample("rep-identity", "Proof of identity shown and uniform worn"),),
                ),
                CommitmentSpec(
                    "rep-calls",
                    "Quality measures",
                    "We will not take personal calls on our mobile phones when we are in your home",
                    (_sample("rep-calls", "No personal calls taken in the home"),),
                ),
                CommitmentSpec(
                    "rep-satisfaction",
                    "Involving Tenants",
                    "We will obtain at least 25% of satisfaction responses on repairs. We will investigate the best "
                    "way of achieving this with the Local Offer Working Group",
                    (
                        _population(
                            "rep-satisfaction-responses", "Repairs with a satisfaction response", "25", subject=R
                        ),
                        _milestone(
                            "rep-satisfaction-plan",
                            "Agree with the Local Offer Working Group how to get 25% satisfaction responses",
                            D(2015, 4, 30),
                            "By April 2015",
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "rep-case-tracking",
                    "Involving Tenants",
                    "We will develop ‘case study tracking’ as a means of mystery shopping tenant experience of the "
                    "service",
                    (
                        _milestone(
                            "rep-case-tracking-train",
                            "Train tenants in case study tracking",
                            D(2014, 12, 31),
                            "Train tenants by end of 2014",
                        ),
                        _milestone(
                            "rep-case-tracking-live",
                            "Case study tracking in place",
                            D(2015, 1, 31),
                            "In place from January 2015",
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "rep-appointments",
                    "Keeping You Informed",
                    "We will make and keep appointment times for all non-emergency repairs",
                    (
                        _population(
                            "rep-appointment-made",
                            "Non-emergency repairs with an appointment made",
                            "95",
                            subject=R,
                            categories=("2", "3"),
                        ),
                        _population(
                            "rep-appointment-kept", "Appointments kept", "99", subject=R, categories=("2", "3")
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "rep-text",
                    "Keeping You Informed",
                    "We will send you a text message confirmation",
                    (
                        _population(
                            "rep-text-confirmation",
                            "Appointments confirmed by text message",
                            "100",
                            subject=R,
                            categories=("2", "3"),
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "rep-letter",
                    "Keeping You Informed",
                    "We will write confirming your appointment within four days of you reporting a routine repair",
                    (
                        _within(
                            "rep-letter",
                            "Routine repairs with an appointment letter within 4 days",
                            "100",
                            4,
                            Unit.CALENDAR_DAYS,
                            Event.REPORTED,
                            Event.LETTER_SENT,
                            subject=R,
                            categories=("3",),
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "rep-evening",
                    "Keeping You Informed",
                    "We will undertake a feasibility study for the introduction of evening and weekend appointments "
                    "and consider the merits of the service with the Tenants’ Review Group - Repairs",
                    (
                        _milestone(
                            "rep-evening-feasibility",
                            "Feasibility study of evening and weekend appointments complete",
                            D(2014, 10, 31),
                            "Complete feasibility study by October 2014",
                            how="Then review the findings with the Local Offer Working Group.",
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "rep-gas",
                    "New Initiatives",
                    "We will promote our offer in respect of gas servicing for leaseholders and report on take-up",
                    (
                        _milestone(
                            "rep-gas-take-up",
                            "Take-up of gas servicing by leaseholders reported",
                            D(2015, 3, 31),
                            "On-going and take up reported by March 15",
                        ),
                    ),
                ),  # fmt: skip
            ),
        ),
        AreaSpec(
            "planned",
            "Planned maintenance and improvements",
            (
                CommitmentSpec(
                    "pm-hhsrs",
                    "Response times performance",
                    "We will identify all category 1 Housing Health and Safety Rating System failures and fix these "
                    "within 30 days",
                    (
                        _within(
                            "pm-hhsrs",
                            "Category 1 HHSRS failures fixed within 30 days",
                            "100",
                            30,
                            Unit.CALENDAR_DAYS,
                            Event.IDENTIFIED,
                            Event.FIXED,
                            subject=Subject.HAZARD,
                            categories=("1",),
                            sets_due=True,
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "pm-stock-survey",
                    "Response times performance",
                    "We targeted a 100% stock condition survey and will use the results to target future Decent "
                    "Homes Standard investment programmes. We will issue a warning marker for properties where "
                    "access was not gained",
                    (
                        _milestone(
                            "pm-stock-survey",
                            "100% stock condition survey",
                            D(2014, 3, 31),
                            "March 2014 - completed",
                            done=(D(2014, 3, 31), "The Local Offer reports the survey completed in March 2014."),
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "pm-five-year-survey",
                    "Response times performance",
                    "We will survey all residential properties every 5 years and complete a maintenance audit to "
                    "update our stock condition information",
                    (
                        _population(
                            "pm-five-year-survey",
                            "Homes surveyed in the last 5 years",
                            "100",
                            target_text="On-going",
                            subject=Subject.SURVEY,
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "pm-tidy",
                    "Quality of Work",
                    "We will clean and tidy our work area before we leave your home and we aim to keep noise and "
                    "dust levels to a minimum",
                    (_sample("pm-tidy", "Work area left clean and tidy"),),
                ),
                CommitmentSpec(
                    "pm-identity",
                    "Quality of Work",
                    "We will provide proof of identity before entering your home and always wear our uniforms",
                    (_sample("pm-identity", "Proof of identity shown and uniform worn"),),
                ),
                CommitmentSpec(
                    "pm-named-contact",
                    "Quality of Work",
                    "We will provide a named central contact to elderly and vulnerable residents so they can check "
                    "our identity",
                    (
                        _population(
                            "pm-named-contact",
                            "Elderly and vulnerable residents given a named contact",
                            "100",
                            subject=Subject.PLANNED_WORK,
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "pm-satisfaction",
                    "Keeping you informed",
                    "We will attempt to get 100% of satisfaction responses on planned works. We will investigate the "
                    "best way of achieving this with the Local Offer Working Group",
                    (
                        _population(
                            "pm-satisfaction-responses",
                            "Planned works with a satisfaction response",
                            "100",
                            subject=Subject.PLANNED_WORK,
                        ),
                        _milestone(
                            "pm-satisfaction-plan",
                            "Agree with the Local Offer Working Group how to get "
                            "satisfaction responses on planned works",
                            D(2015, 4, 30),
                            "By April 2015",
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "pm-visit",
                    "Involving Tenants",
                    "We will visit you a minimum of seven days before work starts on your home",
                    (
                        _within(
                            "pm-visit-notice",
                            "Homes visited at least 7 days before work starts",
                            "100",
                            7,
                            Unit.CALENDAR_DAYS,
                            Event.VISITED,
                            Event.WORKS_START,
                            rule=Rule.AT_LEAST,
                            subject=Subject.PLANNED_WORK,
                        ),
                        _milestone(
                            "pm-visit-contracts",
                            "Seven-day visit specified in all contracts",
                            D(2014, 4, 30),
                            "Specify in all contracts from April 2014",
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "pm-programme",
                    "Involving Tenants",
                    "By using the information gained from the Stock Condition Survey, we will carry out a structured "
                    "renewal programme yearly to continue to maintain all homes to the Decent Homes Standard. We will "
                    "publish an annual programme of planned works in April of each year",
                    (
                        _milestone(
                            "pm-programme", "Annual programme of planned works published", D(2015, 4, 30), "April 2015"
                        ),
                    ),
                ),  # fmt: skip
            ),
        ),
        AreaSpec(
            "asb",
            "Anti-social behaviour",
            (
                CommitmentSpec(
                    "asb-champions",
                    "Involvement and Empowerment",
                    "Establish an ASB Champions Group (Tenants’ Review Group - ASB), to make recommendations for "
                    "improvements and look at our performance",
                    (
                        MeasureSpec(
                            "asb-champions-meetings",
                            "ASB Champions Group meetings",
                            K.COUNT,
                            target=_pc("1"),
                            per=Period.QUARTER,
                            target_text="Quarterly meetings",
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "asb-leaflet",
                    "Raising Awareness",
                    "Work with the ASB Champions to develop a service standard leaflet to include: What is ASB; How "
                    "to report ASB; What will happen to the victim; What will happen to the perpetrator",
                    (
                        _milestone(
                            "asb-leaflet",
                            "Service standard leaflet published",
                            D(2014, 10, 31),
                            "Publish by October 2014",
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "asb-diary",
                    "Raising Awareness",
                    "Include a diary sheet with each leaflet",
                    (
                        _milestone(
                            "asb-diary",
                            "Diary sheet published with the leaflet",
                            D(2014, 10, 31),
                            "Publish by October 2014",
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "asb-visits",
                    "Pro-active Service",
                    "We will visit each neighbourhood twice a week",
                    (
                        _population(
                            "asb-neighbourhood-visits",
                            "Neighbourhoods visited twice in the week",
                            "100",
                            subject=Subject.NEIGHBOURHOOD_VISIT,
                            times=2,
                            per=Period.WEEK,
                            how="Neighbourhood-weeks with at least two visits, as a share of all neighbourhood-weeks.",
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "asb-inspections",
                    "Pro-active Service",
                    "We will train tenants to undertake external inspections and develop action plans to solve any "
                    "issues",
                    (
                        _milestone(
                            "asb-tenant-inspections",
                            "Tenants trained in external inspections",
                            D(2014, 12, 31),
                            "From December 2014",
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "asb-action-plans",
                    "Pro-active Service",
                    "We will work with the ASB Champions to monitor progress of action plans",
                    (
                        _milestone(
                            "asb-action-plans",
                            "ASB Champions monitoring action plans",
                            D(2014, 10, 31),
                            "From October 2014",
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "asb-out-of-hours",
                    "Out of Hours Service",
                    "We will continue to provide an out of hours service for noise nuisance",
                    (
                        _population(
                            "asb-out-of-hours",
                            "Tenants made aware of the out of hours service",
                            "100",
                            target_text="All tenants to be made aware of this service",
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "asb-contact",
                    "Response times performance",
                    "Following an initial report of ASB into our Contact Centre or the out-of-hours reporting "
                    "service, depending on the category of the incident we will contact you within: Category 1 "
                    "ASB: one working day; Category 2 ASB: two - four working days; Category 3 ASB: five working days",
                    (
                        _within(
                            "asb-cat1",
                            "Category 1 ASB: contact within one working day",
                            "100",
                            1,
                            Unit.WORKING_DAYS,
                            Event.REPORTED,
                            Event.FIRST_CONTACT,
                            subject=A,
                            categories=("1",),
                            sets_due=True,
                            target_text="one working day",
                        ),
                        _within(
                            "asb-cat2",
                            "Category 2 ASB: contact within two to four working days",
                            "90",
                            4,
                            Unit.WORKING_DAYS,
                            Event.REPORTED,
                            Event.FIRST_CONTACT,
                            subject=A,
                            categories=("2",),
                            sets_due=True,
                            target_text="two - four working days",
                        ),
                        _within(
                            "asb-cat3",
                            "Category 3 ASB: contact within five working days",
                            "90",
                            5,
                            Unit.WORKING_DAYS,
                            Event.REPORTED,
                            Event.FIRST_CONTACT,
                            subject=A,
                            categories=("3",),
                            sets_due=True,
                            target_text="five working days",
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "asb-case-officer",
                    "Customer Care",
                    "Work with the ASB Champions to develop a service standard leaflet to include: An action plan "
                    "with you; A strategy for how often and when contact will be made about your particular ASB "
                    "case; The likely outcome of the case",
                    (
                        MeasureSpec(
                            "asb-case-officer",
                            "Cases with a dedicated case officer, action plan and contact strategy",
                            K.SAMPLE,
                            subject=A,
                            target_text="Realistic timeframes communicated; the circumstances under which the "
                            "case will be closed and a commitment to after care",
                        ),
                    ),
                ),  # fmt: skip
                CommitmentSpec(
                    "asb-victims",
                    "Victims and Witnesses",
                    "We will provide greater support to victims and witnesses by referring them to agencies and "
                    "support groups as required and encouraging them to engage in Victim Peer Support, training ASB "
                    "Champions to provide this service",
                    (
                        _milestone(
                            "asb-victim-support",
                            "Victim Peer Support implemented",
                            D(2015, 3, 31),
                            "Victim Peer Support will be implemented by March 2015",
                        ),
                    ),
                ),  # fmt: skip
            ),
        ),
    ),
)

PRESETS: dict[str, Preset] = {OXFORD_2014.key: OXFORD_2014}

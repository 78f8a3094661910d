"""The menu of involvement a landlord can start from.

Poole Housing Partnership's "menu of involvement – 21 ways to get involved" (seed 003), from
informing to decision-making, and the activities of Oxford City Council's tool box (seed 001)
that Poole's menu does not already have. Written as a landlord would describe them to residents;
staff change the words, time and how to join to fit their own offer after loading them.
"""

from __future__ import annotations

from typing import Any

from people.models import InvolvementLevel as L
from people.models import TimeAvailable as T

from .models import MenuLevel as M

POOLE = "Poole Housing Partnership's menu of involvement"
OXFORD = "Oxford City Council's tool box"

ALL = [L.INFORMED, L.ARMCHAIR, L.CONSULTED, L.INVOLVED, L.DECISION_MAKING]
NO_MEETINGS = [L.ARMCHAIR, L.CONSULTED, L.INVOLVED, L.DECISION_MAKING]

PRESETS: tuple[dict[str, Any], ...] = (
    # Informing -----------------------------------------------------------------------------
    {
        "code": "magazine",
        "name": "Residents' magazine",
        "level": M.INFORMING,
        "summary": "Read our magazine for residents, four times a year, and write to the letters page.",
        "what_it_involves": (
            "We send you our magazine four times a year with news about services, events and what residents "
            "have changed. You can write to the letters page and enter competitions. It comes in large print, "
            "Braille, audio, easy read, other languages or by email if you ask."
        ),
        "time_needed": "As long as you like to read it",
        "time_commitment": T.FEW_HOURS_YEAR,
        "involves_meetings": False,
        "how_to_join": "Every household gets it. Tell us if you need it in another format or language.",
        "suits_levels": ALL,
        "source": POOLE,
    },
    {
        "code": "website",
        "name": "Our website",
        "level": M.INFORMING,
        "summary": "Find news, dates of events and ways to get involved, and do business with us online.",
        "what_it_involves": (
            "Our website brings together information about our services, dates of events and meetings, and "
            "forms you can fill in online, such as reporting a repair."
        ),
        "time_needed": "Whenever you need it",
        "time_commitment": T.FEW_HOURS_YEAR,
        "involves_meetings": False,
        "how_to_join": "Visit our website at any time. You do not need to sign up.",
        "suits_levels": ALL,
        "source": POOLE,
    },
    # Consulting ----------------------------------------------------------------------------
    {
        "code": "satisfaction-survey",
        "name": "Satisfaction survey",
        "level": M.CONSULTING,
        "summary": "Tell us once a year how satisfied you are with your home and our services.",
        "what_it_involves": (
            "Once a year we ask residents how satisfied they are. Residents help us choose the questions. "
            "The results show us what to improve, and we publish what we change."
        ),
        "time_needed": "About 15 minutes once a year",
        "time_commitment": T.FEW_HOURS_YEAR,
        "involves_meetings": False,
        "how_to_join": "We send the survey to residents by post, phone or email. Please fill it in when it comes.",
        "suits_levels": NO_MEETINGS,
        "source": POOLE,
    },
    {
        "code": "peoples-panel",
        "name": "People's panel",
        "level": M.CONSULTING,
        "summary": "Answer a short survey four times a year by post, phone or email.",
        "what_it_involves": (
            "Panel members answer a short survey four times a year about any of our services. It is for "
            "people who have very little time but want their views to count."
        ),
        "time_needed": "About 20 minutes, four times a year",
        "time_commitment": T.FEW_HOURS_YEAR,
        "involves_meetings": False,
        "how_to_join": "Tell us you would like to join the panel and how you would like to get the survey.",
        "suits_levels": NO_MEETINGS,
        "source": POOLE,
    },
    {
        "code": "focus-groups",
        "name": "Focus groups",
        "level": M.CONSULTING,
        "summary": "Come to a one-off discussion about one subject, when we need views on it.",
        "what_it_involves": (
            "A focus group is a one-off meeting of a small group of residents to talk about one subject, such "
            "as repairs or how we communicate. We want to know what you think and why. We invite people "
            "interested in the subject from our list of residents who want to get involved."
        ),
        "time_needed": "About 2 hours, now and then",
        "time_commitment": T.FEW_HOURS_YEAR,
        "involves_meetings": True,
        "how_to_join": "Tell us which subjects interest you. We will invite you when a focus group comes up.",
        "suits_levels": [L.CONSULTED, L.INVOLVED, L.DECISION_MAKING],
        "source": POOLE,
    },
    # Involving -----------------------------------------------------------------------------
    {
        "code": "mystery-shopping",
        "name": "Mystery shopping",
        "level": M.INVOLVING,
        "summary": "Test our services as a customer would, and tell us how we did.",
        "what_it_involves": (
            "Mystery shoppers take on a role in a made-up situation, such as phoning to report a repair, and "
            "then fill in a form about how staff dealt with them. This shows us whether we keep to our "
            "standards. Anyone can be a mystery shopper after our free training."
        ),
        "time_needed": "A few hours for each exercise, after half a day of training",
        "time_commitment": T.FEW_HOURS_YEAR,
        "involves_meetings": False,
        "how_to_join": "Tell us you would like to be a mystery shopper. We will book you on the training.",
        "suits_levels": [L.ARMCHAIR, L.INVOLVED, L.DECISION_MAKING],
        "source": POOLE,
    },
    {
        "code": "halo-groups",
        "name": "Halo groups",
        "level": M.INVOLVING,
        "summary": "Read a group's papers at home and send your comments, without going to meetings.",
        "what_it_involves": (
            "Many of our working groups and focus groups have a halo group around them. Halo members get the "
            "agenda, reports and minutes and send their comments to the involvement officer, who adds them to "
            "the meeting's papers. You have your say when it suits you."
        ),
        "time_needed": "An hour or two before each meeting of the group",
        "time_commitment": T.FEW_HOURS_MONTH,
        "involves_meetings": False,
        "how_to_join": "Tell us which group's work interests you and we will add you to its halo group.",
        "suits_levels": [L.ARMCHAIR, L.CONSULTED, L.INVOLVED],
        "source": POOLE,
    },
    {
        "code": "environmental-visual-audits",
        "name": "Estate inspections (environmental visual audits)",
        "level": M.INVOLVING,
        "summary": "Walk round an estate with staff, police and councillors to spot and solve problems.",
        "what_it_involves": (
            "Your housing officer leads a tour of an estate with local representatives, councillors, police, "
            "other agencies and residents. Together you note problems such as rubbish, lighting or places that "
            "feel unsafe, and agree who will put them right."
        ),
        "time_needed": "About 2 hours, a few times a year",
        "time_commitment": T.FEW_HOURS_YEAR,
        "involves_meetings": False,
        "how_to_join": "Tell us which estate you live on. We will invite you to the next audit there.",
        "suits_levels": [L.CONSULTED, L.INVOLVED, L.DECISION_MAKING],
        "source": POOLE,
    },
    {
        "code": "fun-day",
        "name": "Community fun day",
        "level": M.INVOLVING,
        "summary": "Come along to our fun day for all residents, or help us run it.",
        "what_it_involves": (
            "A free day out for residents and families that brings the community and our staff together. You "
            "can just come, or help plan and run a stall."
        ),
        "time_needed": "A day, once a year",
        "time_commitment": T.FEW_HOURS_YEAR,
        "involves_meetings": False,
        "how_to_join": "Everyone is welcome. Tell us if you would like to help plan it.",
        "suits_levels": ALL,
        "source": POOLE,
    },
    {
        "code": "stakeholder-conference",
        "name": "Annual residents' conference",
        "level": M.INVOLVING,
        "summary": "Meet other residents and staff, hear our plans, ask questions and share ideas.",
        "what_it_involves": (
            "Once a year, residents, staff and partners meet to hear about our plans and performance, ask "
            "questions and share ideas. We help with travel and care costs so no one is out of pocket."
        ),
        "time_needed": "Most of a day, once a year",
        "time_commitment": T.FEW_HOURS_YEAR,
        "involves_meetings": True,
        "how_to_join": "Every resident is invited. Book a place when we send the invitation.",
        "suits_levels": [L.CONSULTED, L.INVOLVED, L.DECISION_MAKING],
        "source": POOLE,
    },
    # Engaging ------------------------------------------------------------------------------
    {
        "code": "estate-improvement-grants",
        "name": "Estate improvement grants",
        "level": M.ENGAGING,
        "summary": "Bid with your neighbours for money to improve your estate.",
        "what_it_involves": (
            "Residents can bid for a grant to improve their estate, such as gardens, lighting, security or art. "
            "It brings neighbours together and you see the difference."
        ),
        "time_needed": "A few hours to plan a bid, then as much as your project needs",
        "time_commitment": T.FEW_HOURS_MONTH,
        "involves_meetings": False,
        "how_to_join": "Ask us for a bid form, or ask your residents' association to bid with you.",
        "suits_levels": [L.INVOLVED, L.DECISION_MAKING],
        "source": POOLE,
    },
    {
        "code": "training",
        "name": "Training",
        "level": M.ENGAGING,
        "summary": "Free courses, from short computer tasters to chairing meetings and scrutiny.",
        "what_it_involves": (
            "We offer free training, from short computer taster sessions to courses on chairing, scrutiny and "
            "personal development. Training helps you take part and can help you find work."
        ),
        "time_needed": "From an hour to a few days, when you choose",
        "time_commitment": T.FEW_HOURS_YEAR,
        "involves_meetings": False,
        "how_to_join": "Ask us what courses are coming up. We pay travel and care costs.",
        "suits_levels": [L.CONSULTED, L.INVOLVED, L.DECISION_MAKING],
        "source": POOLE,
    },
    {
        "code": "working-groups",
        "name": "Working groups",
        "level": M.ENGAGING,
        "summary": "Join a regular group that helps shape one service, such as repairs or communications.",
        "what_it_involves": (
            "Working groups meet regularly to give feedback on proposals, help write policies and check how a "
            "service is doing. Any tenant or leaseholder can join; you do not need to be a representative."
        ),
        "time_needed": "A meeting of about 2 hours every month or two, plus reading",
        "time_commitment": T.FEW_HOURS_MONTH,
        "involves_meetings": True,
        "how_to_join": "Tell us which service interests you and we will invite you to the next meeting.",
        "suits_levels": [L.INVOLVED, L.DECISION_MAKING],
        "source": POOLE,
    },
    {
        "code": "local-community-representatives",
        "name": "Local community representatives",
        "level": M.ENGAGING,
        "summary": "Speak up for your street, block or neighbourhood.",
        "what_it_involves": (
            "Representatives work with our staff and other agencies to improve life in their street, block or "
            "neighbourhood, and pass on what neighbours tell them."
        ),
        "time_needed": "A few hours a month",
        "time_commitment": T.FEW_HOURS_MONTH,
        "involves_meetings": True,
        "how_to_join": "Tell us you are interested. We will explain the role and the support we give.",
        "suits_levels": [L.INVOLVED, L.DECISION_MAKING],
        "source": POOLE,
    },
    {
        "code": "sheltered-residents-associations",
        "name": "Sheltered housing residents' associations",
        "level": M.ENGAGING,
        "summary": "Join the association for your sheltered housing scheme.",
        "what_it_involves": (
            "Each sheltered housing scheme has an association that speaks for everyone living there. It is run "
            "democratically under its constitution."
        ),
        "time_needed": "A meeting every month or two at your scheme",
        "time_commitment": T.FEW_HOURS_MONTH,
        "involves_meetings": True,
        "how_to_join": "Ask your scheme manager or us about the next meeting.",
        "suits_levels": [L.CONSULTED, L.INVOLVED, L.DECISION_MAKING],
        "source": POOLE,
    },
    {
        "code": "residents-associations",
        "name": "Tenants' and residents' associations",
        "level": M.ENGAGING,
        "summary": "Join the association for your area, which speaks to us for everyone living there.",
        "what_it_involves": (
            "Associations represent all residents in an area. They are run democratically under a constitution, "
            "and their committee can raise residents' concerns with us. Membership is open to every resident."
        ),
        "time_needed": "A meeting every month or two; more if you join the committee",
        "time_commitment": T.FEW_HOURS_MONTH,
        "involves_meetings": True,
        "how_to_join": "Ask us for the contact details of the association in your area, or help start one.",
        "suits_levels": [L.CONSULTED, L.INVOLVED, L.DECISION_MAKING],
        "source": POOLE,
    },
    {
        "code": "leaseholder-panel",
        "name": "Leaseholder panel",
        "level": M.ENGAGING,
        "summary": "Leaseholders meet our leasehold team about service charges, repairs and investment.",
        "what_it_involves": (
            "Leaseholders elected by all leaseholders meet our leasehold services officer to discuss service "
            "charges, maintenance, major works and how leases are managed."
        ),
        "time_needed": "A meeting every few months, plus reading",
        "time_commitment": T.FEW_HOURS_MONTH,
        "involves_meetings": True,
        "how_to_join": "Stand in the panel election, or ask us to put you forward when a place comes up.",
        "suits_levels": [L.INVOLVED, L.DECISION_MAKING],
        "source": POOLE,
    },
    {
        "code": "sheltered-housing-forum",
        "name": "Sheltered housing forum",
        "level": M.ENGAGING,
        "summary": "Representatives of sheltered schemes and senior staff improve services for older people.",
        "what_it_involves": (
            "The forum brings together representatives from every sheltered scheme with senior sheltered "
            "housing staff to discuss older people's housing needs and issues common to all schemes."
        ),
        "time_needed": "A meeting every few months",
        "time_commitment": T.FEW_HOURS_MONTH,
        "involves_meetings": True,
        "how_to_join": "Become your scheme's representative, or ask us how to come along.",
        "suits_levels": [L.INVOLVED, L.DECISION_MAKING],
        "source": POOLE,
    },
    {
        "code": "community-housing-action-teams",
        "name": "Community housing action teams",
        "level": M.ENGAGING,
        "summary": "Residents, housing officers, police and councillors solving local problems together.",
        "what_it_involves": (
            "Local representatives, association members, interested residents, housing officers, police and "
            "councillors meet to sort out local issues such as the environment, repairs, crime and anti-social "
            "behaviour."
        ),
        "time_needed": "A meeting of about 2 hours every couple of months",
        "time_commitment": T.FEW_HOURS_MONTH,
        "involves_meetings": True,
        "how_to_join": "Tell us where you live and we will invite you to your local team.",
        "suits_levels": [L.INVOLVED, L.DECISION_MAKING],
        "source": POOLE,
    },
    # Decision-making -----------------------------------------------------------------------
    {
        "code": "strategy-panel",
        "name": "Housing strategy panel",
        "level": M.DECISION_MAKING,
        "summary": "Elected residents check our performance and agree strategy and service standards.",
        "what_it_involves": (
            "The panel is made up of tenants and leaseholders elected from the forums, action teams, the "
            "leaseholder panel and special interest groups. It reports to the board, checks our work and agrees "
            "strategy and standards. Staff and councillors support it, but residents alone decide."
        ),
        "time_needed": "A few hours a week, including meetings and reading",
        "time_commitment": T.FEW_HOURS_WEEK,
        "involves_meetings": True,
        "how_to_join": "Be elected from a forum, action team or panel. Ask us how.",
        "suits_levels": [L.DECISION_MAKING],
        "source": POOLE,
    },
    {
        "code": "board",
        "name": "The board",
        "level": M.DECISION_MAKING,
        "summary": "Resident board members set our long-term direction.",
        "what_it_involves": (
            "The board is responsible for our long-term direction and for making sure it happens. Tenant and "
            "leaseholder members sit on it alongside independent members, with a sub-committee on resident "
            "involvement."
        ),
        "time_needed": "A few hours a week, including board meetings and papers",
        "time_commitment": T.FEW_HOURS_WEEK,
        "involves_meetings": True,
        "how_to_join": "Resident board members are elected or appointed when places come up. Ask us about it.",
        "suits_levels": [L.DECISION_MAKING],
        "source": POOLE,
    },
    # Oxford's tool box, where Poole's menu has no match --------------------------------------
    {
        "code": "staff-shadowing",
        "name": "Staff shadowing",
        "level": M.INVOLVING,
        "summary": "Spend time with our staff to see what their work involves.",
        "what_it_involves": (
            "You spend part of a day with a member of staff, such as a housing officer or a repairs operative, "
            "to understand what happens day to day. You can then use what you saw when we ask how to improve "
            "or change a service."
        ),
        "time_needed": "Half a day or a day, when you choose",
        "time_commitment": T.FEW_HOURS_YEAR,
        "involves_meetings": False,
        "how_to_join": "Tell us which service you would like to see from the inside and we will arrange it.",
        "suits_levels": [L.INVOLVED, L.DECISION_MAKING],
        "source": OXFORD,
    },
    {
        "code": "editorial-group",
        "name": "Editorial group",
        "level": M.INVOLVING,
        "summary": "Check our leaflets, letters and newsletters before they go out.",
        "what_it_involves": (
            "The group reads drafts of leaflets, letters and newsletters and tells us whether they are clear "
            "and useful, suggests changes and can write pieces of its own."
        ),
        "time_needed": "A few hours every couple of months, mostly reading at home",
        "time_commitment": T.FEW_HOURS_MONTH,
        "involves_meetings": False,
        "how_to_join": "Tell us you would like to join. You can read drafts by post or email.",
        "suits_levels": [L.ARMCHAIR, L.CONSULTED, L.INVOLVED],
        "source": OXFORD,
    },
    {
        "code": "walkabouts",
        "name": "Estate walkabouts",
        "level": M.INVOLVING,
        "summary": "Walk your estate with your housing officer, or spot-check other estates.",
        "what_it_involves": (
            "Regular walks round your estate with your housing officer to point out what needs doing, or "
            "spot checks of estates as part of a wider review. What you find is written down and followed up "
            "until it is put right."
        ),
        "time_needed": "About an hour, a few times a year",
        "time_commitment": T.FEW_HOURS_YEAR,
        "involves_meetings": False,
        "how_to_join": "Tell us which estate you live on and we will tell you when the next walkabout is.",
        "suits_levels": [L.CONSULTED, L.INVOLVED, L.DECISION_MAKING],
        "source": OXFORD,
    },
    {
        "code": "armchair-advisers",
        "name": "Armchair advisers",
        "level": M.CONSULTING,
        "summary": "Comment on services and answer short questions by email, text or online.",
        "what_it_involves": (
            "Armchair advisers tell us what they think of services and performance, and answer short "
            "consultations, by email, text message or on our website, from home and when it suits them."
        ),
        "time_needed": "A few minutes, when it suits you",
        "time_commitment": T.FEW_HOURS_YEAR,
        "involves_meetings": False,
        "how_to_join": "Tell us you would like to be an armchair adviser and whether you prefer email or text.",
        "suits_levels": [L.ARMCHAIR, L.CONSULTED, L.INVOLVED, L.DECISION_MAKING],
        "source": OXFORD,
    },
)

LEVEL_ORDER = {level: n for n, level in enumerate(M.values)}

"""A fictional landlord to show, test and benchmark Involve with: `manage.py demo_data`.

Everything here is made up and deterministic: the same seed gives the same people, homes and
references. Names come from Faker's name lists; phone numbers are in Ofcom's ranges reserved for
drama (07700 900xxx, 0161 496 0xxx); emails use the reserved example.* domains; postcodes use
the invented "RV" (Riverton) and "NX" (Northgate) areas, which pass the import's postcode check.

Rows are written in bulk, a few thousand homes at a time (COPY on PostgreSQL, executemany on
SQLite; see _Writer), so 100,000 residents take well under a minute and no auditlog entry is
written per row (bulk writes send no signals). Ids are assigned here from the table's current
maximum, so do not build the demo while something else is adding residents to the same database.
The demo password is for a demonstration only, and `build_demo` refuses to run when
settings.PRODUCTION is True.
"""

from __future__ import annotations

import datetime
import importlib
import math
import random
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone
from faker import Faker

from accounts.models import Organisation, Partnership, Role, User
from people.models import (
    Area,
    Channel,
    Consent,
    EqualityProfile,
    FormatNeed,
    Home,
    Interest,
    InvolvementLevel,
    Resident,
    Tenancy,
    Tenure,
    TimeAvailable,
    normalise_postcode,
)

DEMO_PASSWORD = "involve-demo-2026"  # noqa: S105 (published on purpose; the demo refuses production)
DEFAULT_RESIDENTS = 7000
DEFAULT_SEED = 2026
PENDING_RESIDENTS = 20
PARTNERSHIP_NAME = "Riverbank Cross-Tenure Partnership"
MAIN = {"slug": "riverside-homes", "name": "Riverside Homes", "town": "Riverton", "postcode_area": "RV", "prefix": "RH"}
SECOND = {
    "slug": "northgate",
    "name": "Northgate Housing Co-operative",
    "town": "Northgate",
    "postcode_area": "NX",
    "prefix": "NG",
}
DEMO_SLUGS = (MAIN["slug"], SECOND["slug"])
BATCH_SIZE = 1000
CHUNK_HOMES = 2500

# username, role, organisation slug
DEMO_USERS: tuple[tuple[str, str, str], ...] = (
    ("admin", Role.ADMINISTRATOR, MAIN["slug"]),
    ("officer", Role.INVOLVEMENT_OFFICER, MAIN["slug"]),
    ("manager", Role.MANAGER, MAIN["slug"]),
    ("partnership", Role.PARTNERSHIP_VIEWER, MAIN["slug"]),
    ("panel", Role.INVOLVED_RESIDENT, MAIN["slug"]),
    ("resident", Role.RESIDENT, MAIN["slug"]),
    ("northgate-officer", Role.INVOLVEMENT_OFFICER, SECOND["slug"]),
)

# Area > neighbourhoods > estates. Two to four estates per area, shared between its neighbourhoods.
MAIN_GEOGRAPHY: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = (
    ("North", (("Highfield", ("Ashfield", "Larkhill")), ("Moor End", ("Pendle View",)))),
    ("South", (("Brookside", ("Canal Side", "Willow Bank")), ("Southmead", ("Mill Lane", "Yew Tree")))),
    ("East", (("Eastgate", ("Dovecote",)), ("Kingsway", ("Jubilee", "Queens Park")))),
    ("West", (("Westbourne", ("Oakwood", "Elm Tree")), ("Fairfield", ("Rosehill",)))),
    ("Central", (("Town Centre", ("Victoria Park", "St Mark's")), ("Market Quarter", ("Weavers Court",)))),
    ("Riverside Village", (("Wharfside", ("Salt Quay",)), ("Greenbank", ("Lime Grove", "Orchard")))),
)
SECOND_GEOGRAPHY = (
    ("Northgate", (("Old Town", ("Cooper Street",)), ("Hillcrest", ("Beacon View",)))),
    ("Moorside", (("Moorside", ("Heather Bank", "Ling Lane")),)),
)

# Tenure of each tenancy: mostly secure or assured, and a cross-tenure mix for the partnership.
TENURE_WEIGHTS_HOUSE = {
    Tenure.SECURE_OR_ASSURED: 85.0,
    Tenure.INTRODUCTORY: 6.0,
    Tenure.LEASEHOLDER: 2.0,
    Tenure.SHARED_OWNER: 4.5,
    Tenure.PRIVATE_TENANT: 1.0,
    Tenure.OWNER_OCCUPIER: 1.0,
    Tenure.ADVOCATE: 0.5,
}
TENURE_WEIGHTS_FLAT = {
    Tenure.SECURE_OR_ASSURED: 70.0,
    Tenure.INTRODUCTORY: 7.0,
    Tenure.LEASEHOLDER: 18.0,
    Tenure.SHARED_OWNER: 3.0,
    Tenure.PRIVATE_TENANT: 1.0,
    Tenure.OWNER_OCCUPIER: 0.5,
    Tenure.ADVOCATE: 0.5,
}
# Household sizes on the tenancy (adults named on it): mean 1.4.
HOUSEHOLD_SIZES = ((1, 0.66), (2, 0.28), (3, 0.06))

# Where a name comes from, and (roughly, after the 2021 Census for England and Wales) what
# people with such a name tell us about themselves.
E = EqualityProfile.Ethnicity
R = EqualityProfile.Religion
ORIGINS: dict[str, dict[str, Any]] = {
    "gb": {
        "locale": "en_GB",
        "weight": 82.0,
        "ethnicity": {
            E.WHITE_BRITISH: 86.0,
            E.WHITE_IRISH: 0.8,
            E.WHITE_GYPSY_TRAVELLER: 0.2,
            E.WHITE_OTHER: 1.5,
            E.MIXED_WHITE_BLACK_CARIBBEAN: 1.2,
            E.MIXED_WHITE_BLACK_AFRICAN: 0.6,
            E.MIXED_WHITE_ASIAN: 0.8,
            E.MIXED_OTHER: 0.9,
            E.BLACK_CARIBBEAN: 1.6,
            E.BLACK_OTHER: 0.6,
            E.ASIAN_BANGLADESHI: 1.0,
            E.ASIAN_CHINESE: 0.6,
            E.ASIAN_OTHER: 0.9,
            E.OTHER_ARAB: 0.6,
            E.OTHER_ANY: 1.0,
            E.PREFER_NOT: 1.7,
        },
        "religion": {
            R.NONE: 42.0,
            R.CHRISTIAN: 46.0,
            R.BUDDHIST: 0.5,
            R.JEWISH: 0.4,
            R.MUSLIM: 2.5,
            R.OTHER: 0.7,
            R.PREFER_NOT: 7.9,
        },
        "language": {"English": 98.0, "Polish": 0.5, "Cantonese": 0.3, "Arabic": 0.4, "Bengali": 0.4, "Somali": 0.4},
    },
    "ie": {
        "locale": "en_IE",
        "weight": 2.0,
        "ethnicity": {E.WHITE_IRISH: 75.0, E.WHITE_BRITISH: 15.0, E.WHITE_GYPSY_TRAVELLER: 5.0, E.PREFER_NOT: 5.0},
        "religion": {R.CHRISTIAN: 70.0, R.NONE: 22.0, R.PREFER_NOT: 8.0},
        "language": {"English": 99.0, "Irish": 1.0},
    },
    "pl": {
        "locale": "pl_PL",
        "weight": 3.5,
        "ethnicity": {E.WHITE_OTHER: 95.0, E.PREFER_NOT: 5.0},
        "religion": {R.CHRISTIAN: 78.0, R.NONE: 15.0, R.PREFER_NOT: 7.0},
        "language": {"Polish": 72.0, "English": 28.0},
    },
    "ro": {
        "locale": "ro_RO",
        "weight": 1.5,
        "ethnicity": {E.WHITE_OTHER: 82.0, E.WHITE_ROMA: 13.0, E.PREFER_NOT: 5.0},
        "religion": {R.CHRISTIAN: 85.0, R.NONE: 8.0, R.PREFER_NOT: 7.0},
        "language": {"Romanian": 75.0, "English": 20.0, "Romani": 5.0},
    },
    "in": {
        "locale": "en_IN",
        "weight": 3.0,
        "ethnicity": {E.ASIAN_INDIAN: 90.0, E.ASIAN_OTHER: 5.0, E.PREFER_NOT: 5.0},
        "religion": {R.HINDU: 45.0, R.SIKH: 20.0, R.MUSLIM: 14.0, R.CHRISTIAN: 9.0, R.NONE: 6.0, R.PREFER_NOT: 6.0},
        "language": {"English": 62.0, "Gujarati": 14.0, "Panjabi": 14.0, "Tamil": 10.0},
    },
    "pk": {
        "locale": "en_PK",
        "weight": 3.5,
        "ethnicity": {E.ASIAN_PAKISTANI: 90.0, E.ASIAN_OTHER: 4.0, E.PREFER_NOT: 6.0},
        "religion": {R.MUSLIM: 92.0, R.NONE: 2.0, R.PREFER_NOT: 6.0},
        "language": {"English": 58.0, "Urdu": 28.0, "Panjabi": 14.0},
    },
    "ng": {
        "locale": "en_NG",
        "weight": 4.5,
        "ethnicity": {E.BLACK_AFRICAN: 88.0, E.BLACK_OTHER: 4.0, E.MIXED_OTHER: 2.0, E.PREFER_NOT: 6.0},
        "religion": {R.CHRISTIAN: 74.0, R.MUSLIM: 14.0, R.NONE: 5.0, R.PREFER_NOT: 7.0},
        "language": {"English": 84.0, "Yoruba": 9.0, "Igbo": 7.0},
    },
}
SEX_WEIGHTS = {"female": 54.0, "male": 46.0}
SEXUAL_ORIENTATION = {"straight": 89.0, "gay_lesbian": 1.8, "bisexual": 1.5, "other": 0.4, "prefer_not": 7.3}
GENDER_SAME = {"yes": 93.0, "no": 0.6, "prefer_not": 6.4}
# Social-housing tenants are more often disabled than the population as a whole.
DISABILITY = {"yes_a_lot": 15.0, "yes_a_little": 17.0, "no": 62.0, "prefer_not": 6.0}
CARING = {"yes": 12.0, "no": 82.0, "prefer_not": 6.0}
AGE_BANDS = (
    (18, 24, 5.0),
    (25, 34, 14.0),
    (35, 44, 17.0),
    (45, 54, 19.0),
    (55, 64, 18.0),
    (65, 74, 14.0),
    (75, 95, 13.0),
)

INVOLVEMENT = {
    InvolvementLevel.INFORMED: 30.0,
    InvolvementLevel.ARMCHAIR: 22.0,
    InvolvementLevel.CONSULTED: 24.0,
    InvolvementLevel.INVOLVED: 15.0,
    InvolvementLevel.DECISION_MAKING: 9.0,
}
TIME = {TimeAvailable.FEW_HOURS_YEAR: 45.0, TimeAvailable.FEW_HOURS_MONTH: 40.0, TimeAvailable.FEW_HOURS_WEEK: 15.0}
AVAILABILITY_NOTES = (
    "Evenings only, I work days.",
    "Not Tuesdays (hospital appointments).",
    "Weekday mornings suit me best.",
    "I work shifts, so please give me two weeks' notice.",
    "School hours only.",
    "Online meetings only, please.",
    "I need a lift or a taxi to meetings.",
)
NICKNAMES = {
    "Elizabeth": "Liz",
    "Margaret": "Maggie",
    "Susan": "Sue",
    "Patricia": "Pat",
    "Deborah": "Debbie",
    "Jacqueline": "Jackie",
    "Katherine": "Kate",
    "Catherine": "Cath",
    "Rebecca": "Becky",
    "Samantha": "Sam",
    "William": "Bill",
    "Robert": "Bob",
    "Christopher": "Chris",
    "Michael": "Mike",
    "Anthony": "Tony",
    "Stephen": "Steve",
    "Nicholas": "Nick",
    "Matthew": "Matt",
    "Daniel": "Dan",
    "Thomas": "Tom",
}
STREET_TYPES = (
    "Road",
    "Street",
    "Avenue",
    "Close",
    "Grove",
    "Lane",
    "Drive",
    "Way",
    "Crescent",
    "Walk",
    "Gardens",
    "Place",
    "Terrace",
    "Mews",
)
BLOCK_TYPES = ("Court", "House", "Tower", "Point", "Lodge")
STREET_WORDS = (
    "Alder",
    "Ash",
    "Beech",
    "Birch",
    "Bramble",
    "Cedar",
    "Chestnut",
    "Clover",
    "Fern",
    "Foxglove",
    "Hazel",
    "Heather",
    "Holly",
    "Juniper",
    "Laburnum",
    "Lilac",
    "Maple",
    "Poplar",
    "Rowan",
    "Sycamore",
    "Thistle",
    "Primrose",
    "Bluebell",
    "Canal",
    "Chapel",
    "Church",
    "Dale",
    "Factory",
    "Forge",
    "Granary",
    "Mill",
    "Quarry",
    "School",
    "Station",
    "Tannery",
    "Wharf",
    "Wool",
    "Foundry",
    "Brewery",
    "Cotton",
    "Furnace",
    "Ropewalk",
    "Kiln",
)
# Inward codes use these letters only (no C I K M O V).
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
INTERESTS_FOR_LEASEHOLDERS = "leaseholders"


class _Chooser:
    """rng.choices with the cumulative weights worked out once (the hot loop calls it ~10 times a person)."""

    def __init__(self, weights: dict[Any, float] | tuple[tuple[Any, float], ...]) -> None:
        items = list(weights.items()) if isinstance(weights, dict) else list(weights)
        self.values = [v for v, _ in items]
        self.cum: list[float] = []
        total = 0.0
        for _, w in items:
            total += w
            self.cum.append(total)

    def __call__(self, rng: random.Random) -> Any:
        return rng.choices(self.values, cum_weights=self.cum)[0]


def _ascii(value: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", value) if c.isascii() and (c.isalnum() or c in "-")).lower()


@dataclass
class Person:
    """A person before they become a Resident: what the demo knows about them."""

    origin: str
    sex: str
    age: int
    title: str
    first_name: str
    last_name: str
    preferred_name: str = ""
    email: str = ""
    phone: str = ""
    mobile: str = ""


class Output(Protocol):
    def write(self, msg: str, /) -> Any: ...


@dataclass
class DemoSummary:
    created: bool
    message: str
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    sign_ins: list[tuple[str, str, str]] = field(default_factory=list)
    password: str = DEMO_PASSWORD


class DemoRefused(Exception):
    """The demo cannot be built here (production, or a name already taken)."""


class Generator:
    """Deterministic fictional people and homes. Shared with bench/import_residents.py, which
    writes the same kind of people to a CSV in the housing system's format."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.today = datetime.date.today()
        self.origin = _Chooser({k: v["weight"] for k, v in ORIGINS.items()})
        self.sex = _Chooser(SEX_WEIGHTS)
        self.age_band = _Chooser(tuple(((lo, hi), w) for lo, hi, w in AGE_BANDS))
        self.size = _Chooser(HOUSEHOLD_SIZES)
        self.tenure_house = _Chooser(TENURE_WEIGHTS_HOUSE)
        self.tenure_flat = _Chooser(TENURE_WEIGHTS_FLAT)
        self.ethnicity = {k: _Chooser(v["ethnicity"]) for k, v in ORIGINS.items()}
        self.religion = {k: _Chooser(v["religion"]) for k, v in ORIGINS.items()}
        self.language = {k: _Chooser(v["language"]) for k, v in ORIGINS.items()}
        self.orientation = _Chooser(SEXUAL_ORIENTATION)
        self.gender_same = _Chooser(GENDER_SAME)
        self.disability = _Chooser(DISABILITY)
        self.caring = _Chooser(CARING)
        self.involvement = _Chooser(INVOLVEMENT)
        self.time = _Chooser(TIME)
        # Name lists drawn once from Faker (seeded), then picked from with our own Random: fast and stable.
        self.names: dict[str, dict[str, list[str]]] = {}
        for key, spec in ORIGINS.items():
            fake = Faker(spec["locale"])
            fake.seed_instance(seed)
            self.names[key] = {
                "female": sorted({fake.first_name_female() for _ in range(400)}),
                "male": sorted({fake.first_name_male() for _ in range(400)}),
                "last": sorted({fake.last_name() for _ in range(800)}),
            }
        self.used_streets: set[str] = set()
        # Streets are named after trees, trades and (as in any British town) people.
        self.street_words = list(STREET_WORDS) + self.names["gb"]["last"][:300]

    # People -------------------------------------------------------------------------------
    def person(
        self,
        *,
        origin: str | None = None,
        last_name: str | None = None,
        sex: str | None = None,
        age: tuple[int, int] | None = None,
    ) -> Person:
        rng = self.rng
        origin = origin or self.origin(rng)
        sex = sex or self.sex(rng)
        lo, hi = age or self.age_band(rng)
        years = rng.randint(lo, hi)
        names = self.names[origin]
        first = rng.choice(names[sex])
        last = last_name or rng.choice(names["last"])
        if sex == "male":
            title = "Mr" if rng.random() < 0.97 else "Dr"
        else:
            roll = rng.random()
            if roll < 0.38:
                title = "Mrs"
            elif roll < 0.68:
                title = "Ms"
            elif roll < 0.96:
                title = "Miss" if years < 60 else "Mrs"
            else:
                title = "Mx" if roll < 0.99 else "Dr"
        if rng.random() < 0.08:
            title = ""
        person = Person(origin=origin, sex=sex, age=years, title=title, first_name=first, last_name=last)
        nickname = NICKNAMES.get(first)
        if nickname and rng.random() < 0.4:
            person.preferred_name = nickname
        if rng.random() < (0.7 if years < 60 else 0.35):
            person.email = f"{_ascii(first)}.{_ascii(last)}{rng.randint(1, 99)}@{rng.choice(('example.com', 'example.org', 'example.net'))}"
        if rng.random() < (0.85 if years < 70 else 0.5):
            person.mobile = f"07700 900{rng.randint(0, 999):03d}"
        if rng.random() < (0.15 if years < 60 else 0.5):
            person.phone = f"0161 496 0{rng.randint(0, 999):03d}"
        return person

    def household(self, size: int) -> list[Person]:
        rng = self.rng
        lead = self.person()
        people = [lead]
        if size >= 2:
            if rng.random() < 0.7:
                partner_sex = lead.sex if rng.random() < 0.06 else ("male" if lead.sex == "female" else "female")
                lo = max(18, lead.age - 8)
                people.append(
                    self.person(
                        origin=lead.origin,
                        sex=partner_sex,
                        age=(lo, max(lo, lead.age + 6)),
                        last_name=lead.last_name if rng.random() < 0.65 else None,
                    )
                )
            else:
                hi = max(18, min(35, lead.age - 18))
                people.append(self.person(origin=lead.origin, last_name=lead.last_name, age=(18, hi)))
        for _ in range(size - len(people)):
            hi = max(18, min(35, lead.age - 18))
            people.append(self.person(origin=lead.origin, last_name=lead.last_name, age=(18, hi)))
        return people

    def household_sizes(self, residents: int) -> list[int]:
        sizes: list[int] = []
        left = residents
        while left > 0:
            size = min(self.size(self.rng), left)
            sizes.append(size)
            left -= size
        return sizes

    def tenure(self, is_flat: bool) -> str:
        return str((self.tenure_flat if is_flat else self.tenure_house)(self.rng))

    def start_date(self, tenure: str) -> datetime.date | None:
        rng = self.rng
        if rng.random() < 0.03:
            return None
        days = rng.randint(14, 350) if tenure == Tenure.INTRODUCTORY else int(rng.expovariate(1 / 3300)) + 365
        return self.today - datetime.timedelta(days=min(days, 45 * 365))

    # Places -------------------------------------------------------------------------------
    def street_name(self) -> str:
        rng = self.rng
        for _ in range(200):
            name = f"{rng.choice(self.street_words)} {rng.choice(STREET_TYPES)}"
            if name not in self.used_streets:
                self.used_streets.add(name)
                return name
        name = f"{rng.choice(STREET_WORDS)} {rng.choice(self.street_words)} {rng.choice(STREET_TYPES)}"
        self.used_streets.add(name)
        return name

    def addresses(self, district: str) -> Iterator[tuple[str, str, str, bool]]:
        """Endless (line 1, line 2, postcode, is_flat) for one estate: streets of houses and blocks of
        flats, about 14 homes to a unit postcode."""
        rng = self.rng
        unit = 0
        in_unit = 0
        unit_size = rng.randint(8, 20)

        def postcode() -> str:
            nonlocal unit, in_unit, unit_size
            if in_unit >= unit_size:
                unit += 1
                in_unit = 0
                unit_size = rng.randint(8, 20)
            in_unit += 1
            sector, rest = divmod(unit, len(POSTCODE_LETTERS) ** 2)
            first, second = divmod(rest, len(POSTCODE_LETTERS))
            return f"{district} {(sector + 1) % 10}{POSTCODE_LETTERS[first]}{POSTCODE_LETTERS[second]}"

        while True:
            if rng.random() < 0.35:
                block = f"{rng.choice(STREET_WORDS)} {rng.choice(BLOCK_TYPES)}"
                street = self.street_name()
                for flat in range(1, rng.randint(12, 80) + 1):
                    yield f"Flat {flat}, {block}", street, postcode(), True
            else:
                street = self.street_name()
                for number in range(1, rng.randint(20, 140) + 1):
                    yield f"{number} {street}", "", postcode(), False

    # Equality and preferences -------------------------------------------------------------
    def equality_values(self, person: Person, *, complete: bool) -> dict[str, Any]:
        rng = self.rng
        o = person.origin
        language = self.language[o](rng)
        values: dict[str, Any] = {
            "date_of_birth": self.today - datetime.timedelta(days=person.age * 365 + rng.randint(0, 364)),
            "sex": person.sex if rng.random() < 0.97 else "prefer_not",
            "gender_identity_same_as_sex": self.gender_same(rng),
            "ethnicity": self.ethnicity[o](rng),
            "disability": self.disability(rng)
            if person.age < 65
            else ("yes_a_lot" if rng.random() < 0.3 else self.disability(rng)),
            "religion": self.religion[o](rng),
            "sexual_orientation": self.orientation(rng),
            "caring_responsibilities": self.caring(rng),
            "first_language": language,
        }
        if not complete:
            # A partial form: between one and six questions left blank.
            for name in rng.sample(EqualityProfile.COMPLETENESS_FIELDS, rng.randint(1, 6)):
                values[name] = None if name == "date_of_birth" else ""
        return values


@dataclass
class _Place:
    area: Area
    estate: Area
    district: str
    addresses: Iterator[tuple[str, str, str, bool]]


def _log(stdout: Output | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")
        if hasattr(stdout, "flush"):
            stdout.flush()


def demo_exists() -> bool:
    return Organisation.objects.filter(slug__in=DEMO_SLUGS).exists()


def delete_demo(*, stdout: Output | None = None) -> int:
    """Delete the demo landlords and everything of theirs. Returns the number of residents removed."""
    orgs = list(Organisation.objects.filter(slug__in=DEMO_SLUGS))
    if not orgs:
        return 0
    with transaction.atomic(), disable_auditlog():
        removed = Resident.objects.filter(organisation__in=orgs).count()
        # History of the demo's records goes too, so a rebuilt demo starts clean.
        logged: list[tuple[type[models.Model], str]] = [
            (Resident, "organisation__in"),
            (Home, "organisation__in"),
            (Tenancy, "organisation__in"),
            (Consent, "resident__organisation__in"),
            (EqualityProfile, "resident__organisation__in"),
        ]
        for logged_model, path in logged:
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(logged_model),
                object_id__in=logged_model._base_manager.filter(**{path: orgs}).values("pk"),
            ).delete()
        # The big tables go by plain DELETEs, children first (Django's collector would load and signal
        # every row). Anything else that points at them (another app's records) is deleted or
        # unlinked through the ORM first, so its own rules still apply.
        by_resident = {"resident__organisation__in": orgs}
        by_org = {"organisation__in": orgs}
        plan: list[tuple[type[models.Model], dict[str, Any]]] = [
            (Resident.interests.through, by_resident),
            (Resident.format_needs.through, by_resident),
            (Consent, by_resident),
            (EqualityProfile, by_resident),
            (Resident, by_org),
            (Tenancy, by_org),
            (Home, by_org),
        ]
        handled = {model for model, _ in plan}
        for model, lookup in plan:
            rows = model._base_manager.filter(**lookup)
            for rel in model._meta.related_objects:
                if rel.related_model in handled:
                    continue
                dependants = rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": rows.values("pk")})
                if rel.on_delete is models.SET_NULL:
                    dependants.update(**{rel.field.name: None})
                else:
                    dependants.delete()
            rows._raw_delete(rows.db)
        User.objects.filter(organisation__in=orgs).delete()
        Area.objects.filter(organisation__in=orgs, level=Area.Level.ESTATE).delete()
        Area.objects.filter(organisation__in=orgs).delete()
        partnership_ids = {o.partnership_id for o in orgs if o.partnership_id}
        Organisation.objects.filter(pk__in=[o.pk for o in orgs]).delete()
        Partnership.objects.filter(pk__in=partnership_ids, members__isnull=True).delete()
    _log(stdout, f"Deleted the demo landlords ({removed:,} residents).")
    return removed


class _Writer:
    """Write rows (dicts of attribute name to value) fast, ids assigned here: COPY on PostgreSQL,
    executemany elsewhere.

    bulk_create builds a model instance per row and prepares every value of every row through
    the field machinery (Resident has 35 columns); for 100,000 residents that took well over a
    minute. Plain tuples written this way take seconds. Only for rows this module makes:
    no signals, no validation; missing values take the field's default, auto_now fields `now`."""

    def __init__(self, model: type[models.Model], now: datetime.datetime) -> None:
        self.model = model
        meta = model._meta
        qn = connection.ops.quote_name
        self.fields = list(meta.concrete_fields)
        self.names = [f.attname for f in self.fields]
        table, columns = qn(meta.db_table), ", ".join(qn(str(f.column)) for f in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        # Identifiers come from the models and are quoted by the backend; values go as parameters.
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"
        self.defaults: dict[str, Any] = {}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            elif not f.primary_key:
                self.defaults[f.attname] = f.get_default()
        # Dates and times need the backend's adapter (SQLite stores text); the rest go as they are.
        self.adapt = {
            f.attname: f for f in self.fields if f.get_internal_type() in ("DateField", "DateTimeField", "TimeField")
        }
        self.pk_name = meta.pk.attname
        self.now = now
        self.now_adapted = {name: f.get_db_prep_save(now, connection) for name, f in self.adapt.items()}
        self.next_id = self._first_free_id()

    def _first_free_id(self) -> int:
        """Past the highest id ever used, not just the highest there now, so a rebuilt demo never
        reuses the id of a deleted resident (links and history by id would point at someone else)."""
        meta = self.model._meta
        highest = self.model._base_manager.aggregate(m=models.Max("pk"))["m"] or 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", [meta.db_table, meta.pk.column])
                highest = max(highest, cursor.fetchone()[0])
            elif connection.vendor == "sqlite":
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")
                if cursor.fetchone():
                    cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [meta.db_table])
                    row = cursor.fetchone()
                    highest = max(highest, row[0] if row else 0)
        return highest + 1

    def new_id(self) -> int:
        pk = self.next_id
        self.next_id += 1
        return pk

    def write(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        defaults, adapt, names, pk_name = self.defaults, self.adapt, self.names, self.pk_name
        now, now_adapted = self.now, self.now_adapted
        values = []
        for row in rows:
            if row.get(pk_name) is None:
                row[pk_name] = self.new_id()
            full = {**defaults, **row}
            for name, f in adapt.items():
                value = full[name]
                if value is now:
                    full[name] = now_adapted[name]
                elif value is not None:
                    full[name] = f.get_db_prep_save(value, connection)
            values.append(tuple(full[n] for n in names))
        with connection.cursor() as wrapper:
            # The DB-API cursor itself: with DEBUG on, Django's wrapper would format and keep every statement.
            cursor = wrapper.cursor
            if connection.vendor == "postgresql":
                # COPY: one stream, no SQL to parse (a multi-row INSERT of 100,000 rows took over a minute).
                with cursor.copy(self.copy_sql) as copy:
                    for record in values:
                        copy.write_row(record)
            else:
                for start in range(0, len(values), BATCH_SIZE):
                    cursor.executemany(self.sql, values[start : start + BATCH_SIZE])

    def finish(self) -> None:
        """Move the database's id sequence past the ids used here (PostgreSQL; SQLite does it itself)."""
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [self.model]):
                cursor.execute(sql)


def build_demo(
    *,
    residents: int = DEFAULT_RESIDENTS,
    seed: int = DEFAULT_SEED,
    reset: bool = False,
    stdout: Output | None = None,
    second_residents: int | None = None,
) -> DemoSummary:
    """Build the demo landlords. `residents` is the number of Riverside Homes residents (about 1.4
    to a tenancy, including ~20 waiting to be matched); Northgate gets about 300 (fewer for a
    small build). Without `reset`, an existing demo is left alone and reported."""
    if getattr(settings, "PRODUCTION", False):
        raise DemoRefused("The demo data has a published password; it cannot be created in production.")
    if residents < PENDING_RESIDENTS + 10:
        raise DemoRefused(f"Ask for at least {PENDING_RESIDENTS + 10} residents.")
    started = time.perf_counter()
    if demo_exists() and not reset:
        return DemoSummary(
            created=False,
            message="The demo landlords already exist, so nothing was added. Use --reset to delete and rebuild them.",
            counts=_counts(),
            sign_ins=_sign_ins(),
        )
    if second_residents is None:
        second_residents = min(300, max(30, residents // 10))

    builder = _Builder(seed=seed, stdout=stdout)
    # One transaction: if the rebuild fails, the old demo is still there.
    with transaction.atomic(), disable_auditlog():
        delete_demo(stdout=stdout)
        taken = sorted(
            User.objects.filter(username__in=[u for u, _, _ in DEMO_USERS]).values_list("username", flat=True)
        )
        if taken:
            raise DemoRefused(
                f"These usernames are already used by accounts outside the demo: {', '.join(taken)}. "
                "Rename or remove them first."
            )
        partnership, _ = Partnership.objects.get_or_create(name=PARTNERSHIP_NAME)
        main = Organisation.objects.create(name=MAIN["name"], slug=MAIN["slug"], partnership=partnership)
        second = Organisation.objects.create(name=SECOND["name"], slug=SECOND["slug"], partnership=partnership)
        users = builder.users({MAIN["slug"]: main, SECOND["slug"]: second})
        builder.landlord(main, MAIN, MAIN_GEOGRAPHY, residents - PENDING_RESIDENTS, recorder=users["officer"])
        builder.pending(main, MAIN, PENDING_RESIDENTS)
        builder.landlord(second, SECOND, SECOND_GEOGRAPHY, second_residents - 2, recorder=users["northgate-officer"])
        builder.pending(second, SECOND, 2)
        builder.finish()
        builder.link_accounts(main, users)
        # Other apps add their part of the demo (groups, meetings, opportunities…) to the main landlord.
        for module in DEMO_EXTENSIONS:
            importlib.import_module(module).build(organisation=main, users=users, seed=seed, now=builder.now)
    seconds = time.perf_counter() - started
    return DemoSummary(
        created=True,
        message=f"Built the demo in {seconds:.1f} s.",
        seconds=seconds,
        counts=_counts(),
        sign_ins=_sign_ins(),
    )


# Modules with a build(*, organisation, users, seed, now) function, run in this order.
DEMO_EXTENSIONS = (
    "groups.demo",
    "opportunities.demo",
    "inspections.demo",
    "budgeting.demo",
    "standards.demo",
    "tsm.demo",
    "performance.demo",
    "complaints.demo",
    "surveys.demo",
    "perception.demo",
)


class _Builder:
    def __init__(self, *, seed: int, stdout: Output | None) -> None:
        self.gen = Generator(seed)
        self.rng = self.gen.rng
        self.stdout = stdout
        self.interests = {i.code: i.pk for i in Interest.objects.all()}
        self.formats = {f.code: f.pk for f in FormatNeed.objects.all()}
        self.now = timezone.now()
        # (line 1, line 2, postcode, tenancy reference) of some homes, for pending residents to claim.
        self.sample_homes: dict[str, list[tuple[str, str, str]]] = {}
        self.involved_ids: dict[str, list[int]] = {}
        self.plain_ids: dict[str, list[int]] = {}
        self.writers: dict[type[models.Model], _Writer] = {}

    def writer(self, model: type[models.Model]) -> _Writer:
        if model not in self.writers:
            self.writers[model] = _Writer(model, self.now)
        return self.writers[model]

    def finish(self) -> None:
        for writer in self.writers.values():
            writer.finish()

    # Accounts ------------------------------------------------------------------------------
    def users(self, orgs: dict[str, Organisation]) -> dict[str, User]:
        fake = Faker("en_GB")
        fake.seed_instance(self.gen.rng.randint(0, 2**31))
        password = make_password(DEMO_PASSWORD)  # hashed once; every demo account shares it
        users = {}
        for username, role, slug in DEMO_USERS:
            org = orgs[slug]
            first, last = fake.first_name(), fake.last_name()
            users[username] = User(
                username=username,
                password=password,
                first_name=first,
                last_name=last,
                email=f"{username}@{slug}.example.org",
                organisation=org,
                role=role,
            )
        User.objects.bulk_create(users.values())
        return {u: User.objects.get(username=u) for u in users}

    def link_accounts(self, org: Organisation, users: dict[str, User]) -> None:
        """The involved-resident and resident accounts sign in as people in the register."""
        involved = self.involved_ids[org.slug]
        plain = self.plain_ids[org.slug]
        panel = Resident.objects.filter(pk__in=involved[:50]).order_by("pk").exclude(email="").first()
        panel = panel or Resident.objects.get(pk=involved[0])
        Resident.objects.filter(pk=panel.pk).update(
            user=users["panel"], involvement_level=InvolvementLevel.DECISION_MAKING
        )
        User.objects.filter(pk=users["panel"].pk).update(
            first_name=panel.first_name, last_name=panel.last_name, email=panel.email
        )
        person = Resident.objects.filter(pk__in=plain[:50]).order_by("pk").exclude(email="").first()
        person = person or Resident.objects.get(pk=plain[0])
        Resident.objects.filter(pk=person.pk).update(user=users["resident"])
        User.objects.filter(pk=users["resident"].pk).update(
            first_name=person.first_name, last_name=person.last_name, email=person.email
        )

    # Geography ---------------------------------------------------------------------------
    def places(self, org: Organisation, spec: dict[str, str], geography: Any) -> list[_Place]:
        places = []
        number = 0
        for area_name, neighbourhoods in geography:
            area = Area.objects.create(organisation=org, name=area_name, level=Area.Level.AREA)
            for hood_name, estates in neighbourhoods:
                hood = Area.objects.create(
                    organisation=org, name=hood_name, level=Area.Level.NEIGHBOURHOOD, parent=area
                )
                for estate_name in estates:
                    number += 1
                    estate = Area.objects.create(
                        organisation=org, name=estate_name, level=Area.Level.ESTATE, parent=hood
                    )
                    district = f"{spec['postcode_area']}{number}"
                    places.append(_Place(area, estate, district, self.gen.addresses(district)))
        return places

    # Residents ---------------------------------------------------------------------------
    def landlord(
        self, org: Organisation, spec: dict[str, str], geography: Any, residents: int, *, recorder: User
    ) -> None:
        gen, rng = self.gen, self.rng
        places = self.places(org, spec, geography)
        sizes = gen.household_sizes(residents)
        # Estates differ in size; share the homes out by a random weight each.
        weights = [rng.uniform(0.5, 1.5) for _ in places]
        total = sum(weights)
        shares = [math.floor(len(sizes) * w / total) for w in weights]
        shares[-1] += len(sizes) - sum(shares)
        estate_of_home = [p for p, n in zip(places, shares, strict=True) for _ in range(n)]
        prefix = spec["prefix"]
        uprn_base = 990_000_000_000 + (10_000_000 if prefix == SECOND["prefix"] else 0)
        sample_every = max(1, len(sizes) // 40)
        self.sample_homes[org.slug] = []
        self.involved_ids[org.slug] = []
        self.plain_ids[org.slug] = []
        homes_writer, tenancies_writer = self.writer(Home), self.writer(Tenancy)
        person_no = 0
        _log(self.stdout, f"{org.name}: {len(sizes):,} homes, {residents:,} residents…")
        for start in range(0, len(sizes), CHUNK_HOMES):
            homes: list[dict[str, Any]] = []
            tenancies: list[dict[str, Any]] = []
            batch: list[tuple[dict[str, Any], Person, bool]] = []
            for index in range(start, min(start + CHUNK_HOMES, len(sizes))):
                place = estate_of_home[index]
                line_1, line_2, postcode, is_flat = next(place.addresses)
                home_id = homes_writer.new_id()
                homes.append(
                    {
                        "id": home_id,
                        "organisation_id": org.pk,
                        "reference": f"{prefix}{index + 1:06d}",
                        "address_line_1": line_1,
                        "address_line_2": line_2,
                        "town": spec["town"],
                        "postcode": postcode,
                        "uprn": uprn_base + index if rng.random() < 0.9 else None,
                        "estate_id": place.estate.pk,
                        "area_id": place.area.pk,
                    }
                )
                tenure = gen.tenure(is_flat)
                tenancy_id = tenancies_writer.new_id()
                tenancy_ref = f"{prefix}T{index + 1:07d}"
                tenancies.append(
                    {
                        "id": tenancy_id,
                        "organisation_id": org.pk,
                        "reference": tenancy_ref,
                        "home_id": home_id,
                        "tenure": tenure,
                        "start_date": gen.start_date(tenure),
                    }
                )
                if index % sample_every == 0:
                    self.sample_homes[org.slug].append(
                        (line_1 + (f", {line_2}" if line_2 else ""), postcode, tenancy_ref)
                    )
                postcode_key = normalise_postcode(postcode)
                for position, person in enumerate(gen.household(sizes[index])):
                    person_no += 1
                    involved = rng.random() < 0.05 * (1.3 if position == 0 else 0.6)
                    resident = self._resident(org, person, involved=involved)
                    resident.update(
                        person_ref=f"{prefix}P{person_no:07d}",
                        source=Resident.Source.IMPORT,
                        tenancy_id=tenancy_id,
                        is_lead_tenant=position == 0,
                        home_id=home_id,
                        area_id=place.area.pk,
                        tenure=tenure,
                        postcode_key=postcode_key,
                    )
                    batch.append((resident, person, involved))
            homes_writer.write(homes)
            tenancies_writer.write(tenancies)
            self._save_residents(org, batch, recorder=recorder)
            _log(self.stdout, f"  {min(start + CHUNK_HOMES, len(sizes)):,} homes")

    def pending(self, org: Organisation, spec: dict[str, str], count: int) -> None:
        """People who asked to get involved online and are waiting for staff to match them."""
        rng = self.rng
        samples = self.sample_homes[org.slug]
        batch = []
        for n in range(count):
            person = self.gen.person()
            resident = self._resident(org, person, involved=True)
            resident["status"] = Resident.Status.PENDING
            resident["source"] = Resident.Source.WEB
            resident["created_at"] = self.now - datetime.timedelta(
                days=rng.randint(0, 40), minutes=rng.randint(0, 1440)
            )
            if n % 3 != 2 and samples:
                # Most give an address that is in the register (a household member not yet recorded).
                address, postcode, _ = samples[rng.randrange(len(samples))]
                resident["stated_postcode"] = postcode.lower().replace(" ", "") if rng.random() < 0.3 else postcode
            else:
                address = f"{rng.randint(1, 200)} {self.gen.street_name()}"
                letters = rng.choice(POSTCODE_LETTERS) + rng.choice(POSTCODE_LETTERS)
                resident["stated_postcode"] = (
                    f"{spec['postcode_area']}{rng.randint(1, 30)} {rng.randint(1, 9)}{letters}"
                )
                resident["tenure"] = self.gen.tenure(rng.random() < 0.4)
            resident["stated_address"] = f"{address}, {spec['town']}"
            resident["postcode_key"] = normalise_postcode(resident["stated_postcode"])
            batch.append((resident, person, True))
        self._save_residents(org, batch, recorder=None, web=True)

    def _resident(self, org: Organisation, person: Person, *, involved: bool) -> dict[str, Any]:
        rng = self.rng
        by_email = bool(person.email) and rng.random() < (0.75 if involved else 0.35)
        by_text = bool(person.mobile) and rng.random() < (0.6 if involved else 0.3)
        by_phone = bool(person.phone or person.mobile) and rng.random() < (0.35 if involved else 0.1)
        by_post = rng.random() < (0.55 if involved else 0.9) or not (by_email or by_text or by_phone)
        allowed = [
            c
            for c, ok in (
                (Channel.EMAIL, by_email),
                (Channel.TEXT, by_text),
                (Channel.POST, by_post),
                (Channel.PHONE, by_phone),
            )
            if ok
        ]
        resident: dict[str, Any] = {
            "organisation_id": org.pk,
            "title": person.title,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "preferred_name": person.preferred_name,
            "email": person.email,
            "phone": person.phone,
            "mobile": person.mobile,
            "contact_by_email": by_email,
            "contact_by_text": by_text,
            "contact_by_phone": by_phone,
            "contact_by_post": by_post,
            "preferred_channel": str(allowed[0] if rng.random() < 0.7 else rng.choice(allowed)),
            "created_at": self.now,
        }
        if involved:
            level = self.gen.involvement(rng)
            resident["involvement_level"] = str(level)
            if level != InvolvementLevel.INFORMED:
                resident["time_available"] = str(self.gen.time(rng))
            if rng.random() < 0.12:
                resident["availability_notes"] = rng.choice(AVAILABILITY_NOTES)
        return resident

    def _save_residents(
        self,
        org: Organisation,
        batch: list[tuple[dict[str, Any], Person, bool]],
        *,
        recorder: User | None,
        web: bool = False,
    ) -> None:
        gen, rng = self.gen, self.rng
        interest_codes = sorted(self.interests)
        residents_writer = self.writer(Resident)
        profiles: list[dict[str, Any]] = []
        consents: list[dict[str, Any]] = []
        interests: list[dict[str, Any]] = []
        formats: list[dict[str, Any]] = []
        for resident, person, involved in batch:
            pk = resident["id"] = residents_writer.new_id()
            (self.involved_ids if involved else self.plain_ids)[org.slug].append(pk)
            profile: dict[str, Any] | None = None
            purposes: list[str] = []
            if rng.random() < (0.9 if involved else 0.08):
                profile = gen.equality_values(person, complete=rng.random() < (0.67 if involved else 0.5))
                profile["resident_id"] = pk
                profile["is_complete"] = all(profile[f] not in (None, "") for f in EqualityProfile.COMPLETENESS_FIELDS)
                profiles.append(profile)
                purposes.append(Consent.Purpose.EQUALITY_MONITORING)
            if not involved:
                consents.extend(self._consent(pk, resident, p, recorder, web) for p in purposes)
                continue
            purposes.append(Consent.Purpose.INVOLVEMENT_CONTACT)
            if rng.random() < 0.3:
                purposes.append(Consent.Purpose.SHARE_WITH_PARTNERS)
            if rng.random() < 0.15:
                purposes.append(Consent.Purpose.PHOTOGRAPHS)
            consents.extend(self._consent(pk, resident, p, recorder, web) for p in purposes)
            chosen = set(rng.sample(interest_codes, rng.randint(1, 5)))
            if resident.get("tenure") == Tenure.LEASEHOLDER and INTERESTS_FOR_LEASEHOLDERS in self.interests:
                chosen.add(INTERESTS_FOR_LEASEHOLDERS)
            interests.extend({"resident_id": pk, "interest_id": self.interests[c]} for c in sorted(chosen))
            language = (profile or {}).get("first_language") or gen.language[person.origin](rng)
            needs: set[str] = set()
            if language != "English" and rng.random() < 0.5:
                resident["preferred_language"] = language
                needs.add("translation" if rng.random() < 0.7 else "interpreter")
            if person.age >= 70 and rng.random() < 0.2:
                needs.add("large-print")
            roll = rng.random()
            for code, below in (("easy-read", 0.03), ("audio", 0.04), ("bsl", 0.045), ("braille", 0.048)):
                if roll < below:
                    needs.add(code)
                    break
            formats.extend(
                {"resident_id": pk, "formatneed_id": self.formats[c]} for c in sorted(needs) if c in self.formats
            )
        residents_writer.write([r for r, _, _ in batch])
        self.writer(EqualityProfile).write(profiles)
        self.writer(Consent).write(consents)
        self.writer(Resident.interests.through).write(interests)
        self.writer(Resident.format_needs.through).write(formats)

    def _consent(
        self, resident_id: int, resident: dict[str, Any], purpose: str, recorder: User | None, web: bool
    ) -> dict[str, Any]:
        rng = self.rng
        if web:
            method = Consent.Method.ONLINE
            given = resident["created_at"]
        else:
            method = rng.choices(
                (Consent.Method.ONLINE, Consent.Method.PAPER, Consent.Method.PHONE, Consent.Method.IN_PERSON),
                weights=(45, 30, 15, 10),
            )[0]
            given = self.now - datetime.timedelta(days=rng.randint(1, 3 * 365), minutes=rng.randint(0, 1440))
        consent: dict[str, Any] = {
            "resident_id": resident_id,
            "purpose": str(purpose),
            "method": str(method),
            "given_at": given,
            "recorded_by_id": recorder.pk if recorder and method != Consent.Method.ONLINE else None,
        }
        if not web and rng.random() < 0.04:
            consent["withdrawn_at"] = min(given + datetime.timedelta(days=rng.randint(10, 300)), self.now)
            consent["withdrawn_method"] = str(
                rng.choice((Consent.Method.ONLINE, Consent.Method.PHONE, Consent.Method.PAPER))
            )
        return consent


def _counts() -> dict[str, int]:
    orgs = Organisation.objects.filter(slug__in=DEMO_SLUGS)
    residents = Resident.objects.filter(organisation__in=orgs)
    return {
        "organisations": orgs.count(),
        "areas": Area.objects.filter(organisation__in=orgs, level=Area.Level.AREA).count(),
        "neighbourhoods": Area.objects.filter(organisation__in=orgs, level=Area.Level.NEIGHBOURHOOD).count(),
        "estates": Area.objects.filter(organisation__in=orgs, level=Area.Level.ESTATE).count(),
        "homes": Home.objects.filter(organisation__in=orgs).count(),
        "tenancies": Tenancy.objects.filter(organisation__in=orgs).count(),
        "residents": residents.count(),
        "pending residents": residents.filter(status=Resident.Status.PENDING).count(),
        "involved residents": residents.involved().count(),
        "equality profiles": EqualityProfile.objects.filter(resident__organisation__in=orgs).count(),
        "complete equality profiles": EqualityProfile.objects.filter(
            resident__organisation__in=orgs, is_complete=True
        ).count(),
        "consents": Consent.objects.filter(resident__organisation__in=orgs).count(),
        "users": User.objects.filter(organisation__in=orgs).count(),
        **_extension_counts(orgs),
    }


# What the other apps' parts of the demo hold: (label, model, path from the model to its organisation).
EXTENSION_COUNTS = (
    ("groups", "groups.Group", "organisation"),
    ("meetings", "groups.Meeting", "group__organisation"),
    ("ways to get involved", "opportunities.MenuItem", "organisation"),
    ("opportunities", "opportunities.Opportunity", "organisation"),
    ("invitations", "opportunities.Invitation", "opportunity__organisation"),
    ("mystery-shopping exercises", "inspections.Exercise", "scenario__organisation"),
    ("walkabouts", "inspections.Walkabout", "organisation"),
    ("estate improvement funds", "budgeting.Fund", "organisation"),
    ("household votes", "budgeting.Vote", "fund__organisation"),
)


def _extension_counts(orgs: Any) -> dict[str, int]:
    from django.apps import apps

    counts = {}
    for label, model_name, path in EXTENSION_COUNTS:
        model = apps.get_model(model_name)
        counts[label] = model._default_manager.filter(**{f"{path}__in": orgs}).count()
    return counts


def _sign_ins() -> list[tuple[str, str, str]]:
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[u for u, _, _ in DEMO_USERS]).select_related("organisation")
    }
    rows = []
    for name, _, _ in DEMO_USERS:
        if name in users:
            org = users[name].organisation
            rows.append((name, users[name].get_role_display(), org.name if org else ""))
    return rows


def format_summary(summary: DemoSummary) -> str:
    lines = [summary.message, ""]
    width = max(len(k) for k in summary.counts) if summary.counts else 0
    for key, value in summary.counts.items():
        lines.append(f"  {key.capitalize():<{width}}  {value:>9,}")
    if summary.sign_ins:
        lines += [
            "",
            f"Sign in at /account/sign-in/ with password {summary.password!r} (a demo password: never use it elsewhere).",
            "",
        ]
        cols = (
            max(len("Username"), *(len(s[0]) for s in summary.sign_ins)),
            max(len("Role"), *(len(s[1]) for s in summary.sign_ins)),
        )
        lines.append(f"  {'Username':<{cols[0]}}  {'Role':<{cols[1]}}  Organisation")
        for username, role, org in summary.sign_ins:
            lines.append(f"  {username:<{cols[0]}}  {role:<{cols[1]}}  {org}")
    return "\n".join(lines)


__all__ = [
    "DEMO_PASSWORD",
    "DEMO_SLUGS",
    "DEMO_USERS",
    "DemoRefused",
    "DemoSummary",
    "Generator",
    "build_demo",
    "delete_demo",
    "demo_exists",
    "format_summary",
]

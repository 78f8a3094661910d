"""The resident register: areas, homes, tenancies, residents and what they have told us.

The equality profile lives in its own table with its own permission, because it is
special-category data; nothing else in the register needs it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation


class Area(models.Model):
    """A place in the landlord's geography: area > neighbourhood > estate."""

    class Level(models.TextChoices):
        AREA = "area", "Area"
        NEIGHBOURHOOD = "neighbourhood", "Neighbourhood"
        ESTATE = "estate", "Estate"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(max_length=120)
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.AREA)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "level", "name", "parent"], name="area_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def top_area(self) -> Area:
        node = self
        while node.parent_id is not None and node.level != self.Level.AREA:
            node = node.parent  # type: ignore[assignment]
        return node


class Home(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="homes")
    reference = models.CharField("property reference", max_length=40)
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10)
    uprn = models.BigIntegerField("UPRN", null=True, blank=True)
    estate = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="estate_homes")
    # The top-level area, kept on the home so lists can filter without walking the tree.
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="area_homes")

    class Meta:
        ordering = ["postcode", "address_line_1"]
        constraints = [models.UniqueConstraint(fields=["organisation", "reference"], name="home_reference_unique")]

    def __str__(self) -> str:
        return f"{self.address_line_1}, {self.postcode}"

    @property
    def address(self) -> str:
        return ", ".join(p for p in (self.address_line_1, self.address_line_2, self.town, self.postcode) if p)


class Tenure(models.TextChoices):
    SECURE_OR_ASSURED = "secure_assured", "Secure or assured tenant"
    INTRODUCTORY = "introductory", "Introductory or starter tenant"
    LEASEHOLDER = "leaseholder", "Leaseholder"
    SHARED_OWNER = "shared_owner", "Shared owner"
    PRIVATE_TENANT = "private_tenant", "Private tenant"
    OWNER_OCCUPIER = "owner_occupier", "Owner-occupier"
    ADVOCATE = "advocate", "Advocate or representative"


class Tenancy(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="tenancies")
    reference = models.CharField("tenancy reference", max_length=40)
    home = models.ForeignKey(Home, on_delete=models.PROTECT, related_name="tenancies")
    tenure = models.CharField(max_length=20, choices=Tenure.choices)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "tenancies"
        constraints = [models.UniqueConstraint(fields=["organisation", "reference"], name="tenancy_reference_unique")]

    def __str__(self) -> str:
        return self.reference


class Interest(models.Model):
    """Something a resident wants to be involved in (shared list across landlords)."""

    class Kind(models.TextChoices):
        SERVICE_AREA = "service_area", "Service area"
        CONSUMER_STANDARD = "consumer_standard", "Consumer standard"

    code = models.SlugField(unique=True)
    label = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["kind", "label"]

    def __str__(self) -> str:
        return self.label


class FormatNeed(models.Model):
    """An accessible format a resident needs for anything we send them."""

    code = models.SlugField(unique=True)
    label = models.CharField(max_length=120)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    TEXT = "text", "Text message"
    POST = "post", "Post"
    PHONE = "phone", "Phone call"


class InvolvementLevel(models.TextChoices):
    # From the seeds: "We do / You recommend / You say" and Poole's informing to decision-making.
    INFORMED = "informed", "Keep me informed"
    ARMCHAIR = "armchair", "Armchair or online only, no meetings"
    CONSULTED = "consulted", "Ask for my views"
    INVOLVED = "involved", "Work with you on tasks and reviews"
    DECISION_MAKING = "decision_making", "Take part in decision-making"


class TimeAvailable(models.TextChoices):
    FEW_HOURS_YEAR = "year", "A few hours a year"
    FEW_HOURS_MONTH = "month", "A few hours a month"
    FEW_HOURS_WEEK = "week", "A few hours a week"


# What a resident (or staff for them) may change about how they are contacted and involved,
# in the order the form asks. The service refuses any other field.
PREFERENCE_FIELDS = (
    "preferred_name",
    "email",
    "mobile",
    "phone",
    "preferred_channel",
    "contact_by_email",
    "contact_by_text",
    "contact_by_post",
    "contact_by_phone",
    "preferred_language",
    "involvement_level",
    "time_available",
    "availability_notes",
)


class ResidentQuerySet(models.QuerySet["Resident"]):
    def active(self) -> ResidentQuerySet:
        return self.filter(status=Resident.Status.ACTIVE)

    def involved(self) -> ResidentQuerySet:
        return self.exclude(involvement_level="")


class Resident(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PENDING = "pending", "Waiting to be matched to a tenancy"
        FORMER = "former", "Former resident"

    class Source(models.TextChoices):
        IMPORT = "import", "Housing system import"
        WEB = "web", "Online 'Get involved' form"
        STAFF = "staff", "Added by staff"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="residents")
    person_ref = models.CharField("person reference", max_length=40, null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.STAFF)
    title = models.CharField(max_length=20, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    mobile = models.CharField(max_length=30, blank=True)
    tenancy = models.ForeignKey(Tenancy, null=True, blank=True, on_delete=models.SET_NULL, related_name="residents")
    is_lead_tenant = models.BooleanField(default=False)
    # Kept on the resident (from the tenancy) so the register filters by one indexed column each.
    home = models.ForeignKey(Home, null=True, blank=True, on_delete=models.SET_NULL, related_name="residents")
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="residents")
    tenure = models.CharField(max_length=20, choices=Tenure.choices, blank=True)
    # What a pending resident told us about where they live, before staff match them.
    stated_address = models.CharField(max_length=300, blank=True)
    stated_postcode = models.CharField(max_length=10, blank=True)

    preferred_channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.POST)
    contact_by_email = models.BooleanField(default=False)
    contact_by_text = models.BooleanField(default=False)
    contact_by_post = models.BooleanField(default=True)
    contact_by_phone = models.BooleanField(default=False)
    format_needs = models.ManyToManyField(FormatNeed, blank=True, related_name="residents")
    preferred_language = models.CharField(max_length=60, blank=True, help_text="Leave blank for English.")
    interests = models.ManyToManyField(Interest, blank=True, related_name="residents")
    involvement_level = models.CharField(max_length=20, choices=InvolvementLevel.choices, blank=True)
    time_available = models.CharField(max_length=10, choices=TimeAvailable.choices, blank=True)
    availability_notes = models.CharField(max_length=300, blank=True)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="resident"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person_ref"],
                condition=Q(person_ref__isnull=False),
                name="resident_person_ref_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "last_name", "first_name"], name="resident_name_idx"),
            models.Index(fields=["organisation", "area", "tenure"], name="resident_area_tenure_idx"),
            models.Index(fields=["organisation", "status"], name="resident_status_idx"),
            models.Index(fields=["organisation", "involvement_level"], name="resident_level_idx"),
            models.Index(fields=["organisation", "postcode_key"], name="resident_postcode_idx"),
        ]

    postcode_key = models.CharField(max_length=10, blank=True, editable=False)

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.preferred_name or self.first_name} {self.last_name}".strip()

    @property
    def allowed_channels(self) -> list[str]:
        return [
            channel
            for channel, allowed in (
                (Channel.EMAIL, self.contact_by_email and bool(self.email)),
                (Channel.TEXT, self.contact_by_text and bool(self.mobile)),
                (Channel.POST, self.contact_by_post and (self.home_id is not None or bool(self.stated_address))),
                (Channel.PHONE, self.contact_by_phone and bool(self.phone or self.mobile)),
            )
            if allowed
        ]

    def save(self, *args: object, **kwargs: object) -> None:
        self.postcode_key = normalise_postcode(
            self.home.postcode if self.home_id and self.home else self.stated_postcode
        )
        super().save(*args, **kwargs)  # type: ignore[arg-type]


def normalise_postcode(value: str) -> str:
    """Upper-case without spaces, so 'ox1 1aa' and 'OX11AA' match."""
    return "".join(value.split()).upper()


class Consent(models.Model):
    """What a resident agreed to, when and how; withdrawing keeps the record."""

    class Purpose(models.TextChoices):
        INVOLVEMENT_CONTACT = "involvement_contact", "Contact me about getting involved"
        EQUALITY_MONITORING = "equality_monitoring", "Use my equality information for monitoring"
        SHARE_WITH_PARTNERS = "share_with_partners", "Share my details with partner landlords"
        PHOTOGRAPHS = "photographs", "Use photographs of me in publicity"

    class Method(models.TextChoices):
        ONLINE = "online", "Online form"
        PAPER = "paper", "Paper form"
        PHONE = "phone", "By phone"
        IN_PERSON = "in_person", "In person"
        IMPORT = "import", "Housing system import"

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    given_at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=20, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_method = models.CharField(max_length=20, choices=Method.choices, blank=True)

    class Meta:
        ordering = ["-given_at"]
        indexes = [models.Index(fields=["purpose", "withdrawn_at"], name="consent_purpose_idx")]

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None


class EqualityProfile(models.Model):
    """Special-category data. Seen only by roles with `equality.view`; every read is logged;
    reported only in aggregate with small counts suppressed (see people.selectors)."""

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    class YesNo(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    class Disability(models.TextChoices):
        YES_A_LOT = "yes_a_lot", "Yes, limited a lot"
        YES_A_LITTLE = "yes_a_little", "Yes, limited a little"
        NO = "no", "No"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    class Ethnicity(models.TextChoices):
        # The 19 categories of the 2021 Census in England and Wales.
        ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian or Asian British: Bangladeshi"
        ASIAN_CHINESE = "asian_chinese", "Asian or Asian British: Chinese"
        ASIAN_INDIAN = "asian_indian", "Asian or Asian British: Indian"
        ASIAN_PAKISTANI = "asian_pakistani", "Asian or Asian British: Pakistani"
        ASIAN_OTHER = "asian_other", "Asian or Asian British: any other Asian background"
        BLACK_AFRICAN = "black_african", "Black, Black British, Caribbean or African: African"
        BLACK_CARIBBEAN = "black_caribbean", "Black, Black British, Caribbean or African: Caribbean"
        BLACK_OTHER = "black_other", "Black, Black British, Caribbean or African: any other Black background"
        MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed or multiple: White and Asian"
        MIXED_WHITE_BLACK_AFRICAN = "mixed_white_black_african", "Mixed or multiple: White and Black African"
        MIXED_WHITE_BLACK_CARIBBEAN = "mixed_white_black_caribbean", "Mixed or multiple: White and Black Caribbean"
        MIXED_OTHER = "mixed_other", "Mixed or multiple: any other mixed background"
        WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
        WHITE_IRISH = "white_irish", "White: Irish"
        WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", "White: Gypsy or Irish Traveller"
        WHITE_ROMA = "white_roma", "White: Roma"
        WHITE_OTHER = "white_other", "White: any other White background"
        OTHER_ARAB = "other_arab", "Other ethnic group: Arab"
        OTHER_ANY = "other_any", "Other ethnic group: any other ethnic group"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    class Religion(models.TextChoices):
        NONE = "none", "No religion"
        CHRISTIAN = "christian", "Christian"
        BUDDHIST = "buddhist", "Buddhist"
        HINDU = "hindu", "Hindu"
        JEWISH = "jewish", "Jewish"
        MUSLIM = "muslim", "Muslim"
        SIKH = "sikh", "Sikh"
        OTHER = "other", "Any other religion"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    class SexualOrientation(models.TextChoices):
        STRAIGHT = "straight", "Straight or heterosexual"
        GAY_LESBIAN = "gay_lesbian", "Gay or lesbian"
        BISEXUAL = "bisexual", "Bisexual"
        OTHER = "other", "Another sexual orientation"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    resident = models.OneToOneField(Resident, on_delete=models.CASCADE, related_name="equality_profile")
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=20, choices=Sex.choices, blank=True)
    gender_identity_same_as_sex = models.CharField(
        "gender identity the same as sex registered at birth", max_length=20, choices=YesNo.choices, blank=True
    )
    ethnicity = models.CharField(max_length=40, choices=Ethnicity.choices, blank=True)
    disability = models.CharField(max_length=20, choices=Disability.choices, blank=True)
    religion = models.CharField(max_length=20, choices=Religion.choices, blank=True)
    sexual_orientation = models.CharField(max_length=20, choices=SexualOrientation.choices, blank=True)
    caring_responsibilities = models.CharField(max_length=20, choices=YesNo.choices, blank=True)
    first_language = models.CharField(max_length=60, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    # "Prefer not to say" is an answer: completeness counts questions answered, not disclosed.
    COMPLETENESS_FIELDS = (
        "date_of_birth",
        "sex",
        "gender_identity_same_as_sex",
        "ethnicity",
        "disability",
        "religion",
        "sexual_orientation",
        "caring_responsibilities",
        "first_language",
    )

    # Stored so completeness across 100,000 residents is one indexed count.
    is_complete = models.BooleanField(default=False, editable=False)

    def compute_is_complete(self) -> bool:
        return all(getattr(self, f) not in (None, "") for f in self.COMPLETENESS_FIELDS)

    def save(self, *args: object, **kwargs: object) -> None:
        self.is_complete = self.compute_is_complete()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class EqualityAccessLog(models.Model):
    """Every read of a resident's equality profile."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="equality_reads")
    viewed_at = models.DateTimeField(default=timezone.now)
    path = models.CharField(max_length=300)
    purpose = models.CharField(max_length=60, default="view")

    class Meta:
        ordering = ["-viewed_at"]

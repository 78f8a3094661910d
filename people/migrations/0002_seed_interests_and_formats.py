"""The shared lists residents choose from. Landlords can add to them in the admin."""

from django.db import migrations

SERVICE_AREAS = [
    ("repairs", "Repairs and maintenance"),
    ("asb", "Anti-social behaviour"),
    ("improvements", "Home improvements and planned works"),
    ("estate-services", "Estate services, cleaning and grounds"),
    ("rents", "Rents and service charges"),
    ("lettings", "Lettings and allocations"),
    ("tenancy-management", "Tenancy management"),
    ("complaints", "Complaints and service quality"),
    ("older-people", "Sheltered housing and older people's services"),
    ("communications", "Newsletters and communications"),
    ("value-for-money", "Value for money"),
    ("community", "Community and neighbourhood projects"),
    ("leaseholders", "Leasehold services"),
]
CONSUMER_STANDARDS = [
    ("safety-quality", "Safety and Quality Standard"),
    ("transparency", "Transparency, Influence and Accountability Standard"),
    ("neighbourhood", "Neighbourhood and Community Standard"),
    ("tenancy-standard", "Tenancy Standard"),
]
FORMATS = [
    ("large-print", "Large print"),
    ("braille", "Braille"),
    ("audio", "Audio"),
    ("easy-read", "Easy read"),
    ("interpreter", "An interpreter"),
    ("bsl", "British Sign Language"),
    ("translation", "Translation into my language"),
]


def seed(apps, schema_editor):
    Interest = apps.get_model("people", "Interest")
    FormatNeed = apps.get_model("people", "FormatNeed")
    for code, label in SERVICE_AREAS:
        Interest.objects.get_or_create(code=code, defaults={"label": label, "kind": "service_area"})
    for code, label in CONSUMER_STANDARDS:
        Interest.objects.get_or_create(code=code, defaults={"label": label, "kind": "consumer_standard"})
    for code, label in FORMATS:
        FormatNeed.objects.get_or_create(code=code, defaults={"label": label})


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""Bank holidays 2000–2040 for each nation, from the `holidays` package, so a fresh install has a
working calendar. `manage.py sync_bank_holidays` refreshes them later."""

from django.db import migrations

NATIONS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}


def seed(apps, schema_editor):
    import holidays

    BankHoliday = apps.get_model("core", "BankHoliday")
    rows = []
    for nation, subdiv in NATIONS.items():
        for day, name in holidays.country_holidays("GB", subdiv=subdiv, years=range(2000, 2041)).items():
            rows.append(BankHoliday(nation=nation, date=day, name=name[:120]))
    BankHoliday.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

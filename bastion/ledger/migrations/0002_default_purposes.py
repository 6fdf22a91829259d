from django.db import migrations

# The dues rules: allocated party dues may pay for these (configurable afterwards).
DEFAULTS = [
    ("prevention_supplies", "防控物資", True),
    ("frontline_visits", "慰問醫務人員和一線幹部", True),
    ("hardship_aid", "幫扶生活困難黨員", True),
]


def create(apps, schema_editor):
    Purpose = apps.get_model("ledger", "Purpose")
    for code, name, default in DEFAULTS:
        Purpose.objects.get_or_create(code=code, defaults={"name": name, "default_for_dues": default})


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

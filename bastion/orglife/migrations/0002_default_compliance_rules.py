from django.db import migrations

# Members' meeting quarterly, committee monthly, party group monthly, theme party day monthly.
DEFAULTS = {"members_meeting": 3, "committee_meeting": 1, "group_meeting": 1, "theme_day": 1}


def add_defaults(apps, schema_editor):
    ComplianceRule = apps.get_model("orglife", "ComplianceRule")
    for kind, months in DEFAULTS.items():
        ComplianceRule.objects.get_or_create(organization=None, activity_kind=kind, defaults={"every_months": months})


def remove_defaults(apps, schema_editor):
    ComplianceRule = apps.get_model("orglife", "ComplianceRule")
    ComplianceRule.objects.filter(organization=None, activity_kind__in=list(DEFAULTS)).delete()


class Migration(migrations.Migration):
    dependencies = [("orglife", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]

from django.db import migrations


def forwards(apps, schema_editor):
    from govqms.dossiers.profiles import ensure_builtin_profiles

    ensure_builtin_profiles(apps.get_model("dossiers", "ImportProfile"))


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""«флэш-наставничество», spelled as the target model's texts spell it (issue 17). A name the
administrator already changed is left alone."""

from django.db import migrations

OLD = "флеш-наставничество"
NEW = "флэш-наставничество"


def forward(apps, schema_editor):
    Model = apps.get_model("programs", "MentoringModel")
    Model.objects.filter(code="flash", name=OLD).update(name=NEW)


def backward(apps, schema_editor):
    Model = apps.get_model("programs", "MentoringModel")
    Model.objects.filter(code="flash", name=NEW).update(name=OLD)


class Migration(migrations.Migration):
    dependencies = [("programs", "0004_group_counts_as_one_place")]

    operations = [migrations.RunPython(forward, backward)]

"""The library's starter set (``nastavnik/library/starter.py``): shipped rows with no
organization, read by every organization. Upserted by code, so running ``seed`` again (a later
migration after a change of the text, or ``tests/shipped.py``) brings the rows up to date."""

from django.db import migrations


def seed(apps, schema_editor):
    from nastavnik.library.search import index_text
    from nastavnik.library.starter import STARTER

    Resource = apps.get_model("library", "Resource")
    Form = apps.get_model("programs", "MentoringForm")
    Model = apps.get_model("programs", "MentoringModel")
    forms = {f.code: f for f in Form.objects.all()}
    models = {m.code: m for m in Model.objects.all()}
    for entry in STARTER:
        form = forms.get(entry.form) if entry.form else None
        model = models.get(entry.model) if entry.model else None
        Resource.objects.update_or_create(
            organization=None,
            code=entry.code,
            defaults={
                "kind": entry.kind,
                "title": entry.title,
                "summary": entry.summary,
                "body": entry.body,
                "form": form,
                "model": model,
                "search_lemmas": index_text(
                    entry.title,
                    entry.summary,
                    entry.body,
                    form.name if form else "",
                    model.name if model else "",
                ),
            },
        )


def unseed(apps, schema_editor):
    from nastavnik.library.starter import STARTER

    Resource = apps.get_model("library", "Resource")
    Resource.objects.filter(organization=None, code__in=[e.code for e in STARTER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0001_resources"),
        ("programs", "0002_catalogue"),
    ]

    operations = [migrations.RunPython(seed, unseed)]

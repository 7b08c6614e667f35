from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("mentorships", "0003_number_and_variant_of_existing_pairs")]

    operations = [
        migrations.AlterField(
            model_name="mentorship",
            name="number",
            field=models.PositiveIntegerField(
                blank=True,
                editable=False,
                help_text="The pair's or group's number in its program: 1, 2, 3, …",
                verbose_name="number",
            ),
        ),
        migrations.AddConstraint(
            model_name="mentorship",
            constraint=models.UniqueConstraint(
                fields=("program", "number"), name="mentorship_number_unique"
            ),
        ),
    ]

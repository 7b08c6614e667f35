"""Number the existing pairs and groups per program; give them their mentees' variant."""

from django.db import migrations


def number_existing(apps, schema_editor):
    """Number the pairs and groups of each program 1, 2, 3, … in the order they were created."""
    Mentorship = apps.get_model("mentorships", "Mentorship")
    counters = {}
    for row in Mentorship.objects.order_by("program_id", "id").only("id", "program_id"):
        counters[row.program_id] = counters.get(row.program_id, 0) + 1
        Mentorship.objects.filter(pk=row.pk).update(number=counters[row.program_id])


def variant_from_mentees(apps, schema_editor):
    """A pair or group without a variant takes its mentees' enrolment variant, if they share one."""
    Mentorship = apps.get_model("mentorships", "Mentorship")
    MentorshipMember = apps.get_model("mentorships", "MentorshipMember")
    variants = {}
    for mentorship_id, variant_id in MentorshipMember.objects.filter(
        role="mentee", mentorship__variant__isnull=True
    ).values_list("mentorship_id", "enrolment__variant_id"):
        variants.setdefault(mentorship_id, set()).add(variant_id)
    for mentorship_id, found in variants.items():
        if len(found) == 1 and None not in found:
            Mentorship.objects.filter(pk=mentorship_id).update(variant_id=found.pop())

class Migration(migrations.Migration):
    dependencies = [("mentorships", "0002_number_end_cause_status_history")]

    operations = [
        migrations.RunPython(number_existing, migrations.RunPython.noop),
        migrations.RunPython(variant_from_mentees, migrations.RunPython.noop),
    ]

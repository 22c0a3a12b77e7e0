from django.db import migrations, models


def mark_typed_ranks(apps, schema_editor):
    """A rank that is not what the scores give was typed by hand: keep it so."""
    ContestTeam = apps.get_model("thematic", "ContestTeam")
    teams = list(ContestTeam.objects.exclude(rank=None))
    scores = {}
    for team in ContestTeam.objects.all():
        scores.setdefault(team.session_id, []).append(team.score)
    typed = [
        team.pk
        for team in teams
        if team.rank != 1 + sum(1 for score in scores[team.session_id] if score > team.score)
    ]
    ContestTeam.objects.filter(pk__in=typed).update(rank_by_hand=True)


class Migration(migrations.Migration):
    dependencies = [
        ("thematic", "0006_bounded_numbers"),
    ]

    operations = [
        migrations.AddField(
            model_name="contestteam",
            name="rank_by_hand",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="historicalcontestteam",
            name="rank_by_hand",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(mark_typed_ranks, migrations.RunPython.noop),
    ]

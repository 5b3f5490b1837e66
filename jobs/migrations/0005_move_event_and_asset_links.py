# Event moved to stories and Asset to media (state only; tables keep their names). The upload
# kind goes until a handler exists for it.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0004_job_provider_fallback_note"),
        ("stories", "0003_move_event_and_asset_links"),
        ("media", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="Event"),
                migrations.AlterField(
                    model_name="job",
                    name="output",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="media.asset",
                    ),
                ),
            ],
        ),
        migrations.AlterField(
            model_name="job",
            name="kind",
            field=models.CharField(
                choices=[
                    ("plan", "Plan"),
                    ("visual", "Visual"),
                    ("voice", "Voice"),
                    ("music", "Music"),
                    ("scene_render", "Scene render"),
                    ("assemble", "Assemble"),
                    ("webhook", "Webhook"),
                ],
                max_length=16,
                verbose_name="kind",
            ),
        ),
    ]

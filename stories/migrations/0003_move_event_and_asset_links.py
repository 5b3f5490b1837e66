# Event moved from jobs to stories and Asset from scenes to media: only the migration state
# moves; the tables keep their names and every row stays.

import django.db.models.deletion
from django.db import migrations, models


def _asset_fk():
    return models.ForeignKey(
        blank=True,
        null=True,
        on_delete=django.db.models.deletion.SET_NULL,
        related_name="+",
        to="media.asset",
    )


class Migration(migrations.Migration):

    dependencies = [
        ("stories", "0002_idempotencyrecord"),
        ("jobs", "0004_job_provider_fallback_note"),
        ("media", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Event',
                    fields=[
                        ('id', models.BigAutoField(primary_key=True, serialize=False)),
                        ('kind', models.CharField(choices=[('status', 'Story status'), ('job', 'Job'), ('progress', 'Progress'), ('webhook', 'Webhook')], max_length=16, verbose_name='kind')),
                        ('payload', models.JSONField(blank=True, default=dict, verbose_name='payload')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('story', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='stories.story')),
                    ],
                    options={
                        'verbose_name': 'event',
                        'verbose_name_plural': 'events',
                        'db_table': 'jobs_event',
                        'ordering': ['id'],
                        'indexes': [models.Index(fields=['story', 'id'], name='jobs_event_story_i_8156f2_idx')],
                    },
                ),
            ]
            + [
                migrations.AlterField(model_name="story", name=name, field=_asset_fk())
                for name in ("preview", "final", "thumbnail", "captions_srt", "captions_vtt")
            ],
        ),
    ]

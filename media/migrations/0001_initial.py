# Asset moved from scenes to media: only the migration state moves; the table keeps its name.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("scenes", "0002_initial"),
        ("stories", "0002_idempotencyrecord"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Asset',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('image', 'Image'), ('video', 'Video'), ('audio', 'Audio'), ('music', 'Music'), ('subtitle', 'Subtitle'), ('thumbnail', 'Thumbnail')], max_length=16, verbose_name='kind')),
                        ('file', models.FileField(max_length=300, upload_to='assets/%Y/%m/', verbose_name='file')),
                        ('mime_type', models.CharField(blank=True, max_length=100, verbose_name='MIME type')),
                        ('bytes', models.PositiveBigIntegerField(default=0, verbose_name='bytes')),
                        ('duration_ms', models.PositiveIntegerField(blank=True, null=True, verbose_name='duration (ms)')),
                        ('width', models.PositiveIntegerField(blank=True, null=True)),
                        ('height', models.PositiveIntegerField(blank=True, null=True)),
                        ('sha256', models.CharField(blank=True, db_index=True, max_length=64)),
                        ('source_provider', models.CharField(blank=True, max_length=40, verbose_name='source provider')),
                        ('licence', models.CharField(blank=True, max_length=200, verbose_name='licence')),
                        ('attribution', models.CharField(blank=True, max_length=300, verbose_name='attribution')),
                        ('source_url', models.URLField(blank=True, max_length=500, verbose_name='source URL')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('story', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='assets', to='stories.story')),
                        ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assets', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'asset',
                        'verbose_name_plural': 'assets',
                        'db_table': 'scenes_asset',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
            ],
        ),
    ]

# AIProviderConfig moved from scenes to providers: only the migration state moves; the table
# keeps its name.

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("scenes", "0002_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='AIProviderConfig',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('capability', models.CharField(choices=[('writer', 'Writer'), ('visual', 'Visuals'), ('video', 'Video clips'), ('voice', 'Voice'), ('music', 'Music')], max_length=16, verbose_name='capability')),
                        ('provider', models.CharField(max_length=40, verbose_name='provider')),
                        ('model', models.CharField(blank=True, max_length=100, verbose_name='model')),
                        ('priority', models.PositiveSmallIntegerField(default=100, verbose_name='priority')),
                        ('is_enabled', models.BooleanField(default=True, verbose_name='enabled')),
                        ('options', models.JSONField(blank=True, default=dict, verbose_name='options')),
                        ('api_key_env', models.CharField(blank=True, help_text="The variable's NAME, e.g. OPENAI_API_KEY. Never the key itself.", max_length=64, verbose_name='name of the environment variable holding the API key')),
                        ('base_url', models.URLField(blank=True, max_length=300, verbose_name='base URL')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        'verbose_name': 'AI provider configuration',
                        'verbose_name_plural': 'AI provider configurations',
                        'db_table': 'scenes_aiproviderconfig',
                        'ordering': ['capability', 'priority', 'id'],
                        'constraints': [models.UniqueConstraint(fields=('capability', 'provider', 'model'), name='provider_config_unique'), models.CheckConstraint(condition=models.Q(('api_key_env__regex', '^([A-Z][A-Z0-9_]*)?$')), name='provider_config_key_is_env_name')],
                    },
                ),
            ],
        ),
    ]

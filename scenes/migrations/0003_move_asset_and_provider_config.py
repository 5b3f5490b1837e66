# Asset moved to media and AIProviderConfig to providers: only the migration state moves; the
# tables keep their names and every row stays. Content types follow, so admin permissions
# granted on the old labels keep working.

import django.db.models.deletion
from django.db import migrations, models

MOVED = [("scenes", "asset", "media"), ("scenes", "aiproviderconfig", "providers"), ("jobs", "event", "stories")]


def relabel_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for old_label, model, new_label in MOVED:
        if not content_type.objects.filter(app_label=new_label, model=model).exists():
            content_type.objects.filter(app_label=old_label, model=model).update(app_label=new_label)


def restore_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for old_label, model, new_label in MOVED:
        content_type.objects.filter(app_label=new_label, model=model).update(app_label=old_label)


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
        ("contenttypes", "0002_remove_content_type_name"),
        ("scenes", "0002_initial"),
        ("media", "0001_initial"),
        ("providers", "0001_initial"),
        ("stories", "0003_move_event_and_asset_links"),
        ("jobs", "0005_move_event_and_asset_links"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(model_name="scene", name="visual", field=_asset_fk()),
                migrations.AlterField(model_name="scene", name="voice", field=_asset_fk()),
                migrations.DeleteModel(name="Asset"),
                migrations.DeleteModel(name="AIProviderConfig"),
            ],
        ),
        migrations.RunPython(relabel_content_types, restore_content_types),
    ]

# A RUNNING job's lease: the token of the run holding it, who holds it and until when.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0006_webhook_secret_job_error_detail"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="lease_expires_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="lease expires at"),
        ),
        migrations.AddField(
            model_name="job",
            name="lease_owner",
            field=models.CharField(blank=True, max_length=255, verbose_name="lease owner"),
        ),
        migrations.AddField(
            model_name="job",
            name="lease_token",
            field=models.CharField(blank=True, max_length=64, verbose_name="lease token"),
        ),
        migrations.AddIndex(
            model_name="job",
            index=models.Index(fields=["status", "lease_expires_at"], name="job_status_lease_idx"),
        ),
    ]

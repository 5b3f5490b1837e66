"""Shapes of media facts shared by the story and media APIs: a reel's QC report."""

from __future__ import annotations

from rest_framework import serializers

from media.models import Asset

QC_STATUSES = ["PASS", "WARN", "FAIL"]


class QCCheckSerializer(serializers.Serializer):
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=QC_STATUSES)
    value = serializers.CharField(help_text="what was measured")
    limit = serializers.CharField(help_text="what is allowed")
    message = serializers.CharField(help_text="what is wrong, in a sentence; empty on PASS")


class QCReportSerializer(serializers.Serializer):
    """A rendered reel's media QC report."""

    status = serializers.ChoiceField(choices=QC_STATUSES, help_text="the worst check")
    profile = serializers.CharField()
    aspect = serializers.CharField()
    failed = serializers.ListField(child=serializers.CharField())
    rerendered = serializers.BooleanField(
        help_text="the reel was made again with safe settings after its first render failed"
    )
    elapsed_s = serializers.FloatField(help_text="how long the check took")
    checks = QCCheckSerializer(many=True)


def qc_report(asset: Asset | None) -> dict | None:
    """The asset's QC report as the API shows it; None when it has none."""
    if asset is None or not asset.qc:
        return None
    return QCReportSerializer(asset.qc).data

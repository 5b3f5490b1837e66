"""Queues work by task name (placeholder)."""

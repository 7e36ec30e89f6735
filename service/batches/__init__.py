"""Batch printing: a county's kits as durable jobs."""

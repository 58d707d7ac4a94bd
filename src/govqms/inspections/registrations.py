"""Audit labels, daily jobs and home panels of the inspections app (loaded by
AppConfig.ready)."""

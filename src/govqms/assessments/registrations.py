"""Audit labels, daily jobs and home panels of the assessments app (loaded by
AppConfig.ready)."""

"""Recall rules: the schema, loading and validation."""

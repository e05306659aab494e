"""Matching inventory items against recall rules."""

"""Tests of the recall feeds."""

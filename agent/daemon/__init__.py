"""The background agent: watch for changes, rescan, notify once per (item, recall)."""

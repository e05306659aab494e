"""Outlets: where the daemon's findings go after every scan, beside the desktop notifier (MQTT, Apprise)."""

"""Outlets: where findings go after every scan. One interface (``interface.Outlet``), one module per outlet:
``notifier`` (the desktop or the log), ``findings_file`` (the published report for per-user notifiers),
``mqtt`` (Home Assistant's MQTT discovery), ``apprise`` (phones, mail, chat); ``build`` picks and builds them.
"""

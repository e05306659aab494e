"""Telling a person about a finding: desktop notifications (``desktop``), the log (``log``), or nothing.

Nothing is imported here: the desktop notifier needs jeepney, which only the commands that notify load.
"""

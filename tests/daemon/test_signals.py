"""The daemon's signal handlers: they run in the main thread between any two bytecodes of its loop, so
they must not wait for a lock the loop may hold at that moment (it would never be freed)."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from typing import Any

import pytest
from daemon.agents import until

from agent.daemon.runner import Daemon, Settings, install_signal_handlers
from agent.daemon.wakeup import Wakeup
from agent.notify.log import NullNotifier
from agent.outlets.notifier import NotifierOutlet
from agent.paths import layout

SIGNALS = (signal.SIGHUP, signal.SIGTERM, signal.SIGINT)
Handler = Callable[[int, Any], Any]


def installed_handlers(daemon: Daemon) -> dict[int, Handler]:
    """What install_signal_handlers sets, with this process's own handlers put back afterwards."""
    previous = {sig: signal.getsignal(sig) for sig in SIGNALS}
    try:
        install_signal_handlers(daemon)
        handlers = {sig: signal.getsignal(sig) for sig in SIGNALS}
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    assert all(callable(h) for h in handlers.values())
    return {sig: h for sig, h in handlers.items() if callable(h)}


def returns_while_the_loop_holds_its_lock(daemon: Daemon, handler: Handler, sig: int) -> bool:
    called = threading.Thread(target=handler, args=(sig, None), daemon=True)
    with daemon._lock:  # the loop holds it while it reads or takes what is due
        called.start()
        called.join(timeout=5)
    return not called.is_alive()


def test_a_sighup_while_the_loop_holds_its_lock_asks_for_a_rescan_that_comes(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="agent.daemon.runner")
    daemon = Daemon(
        layout(), [], [lambda context: NotifierOutlet(lambda on_action: NullNotifier(), context)], settings=Settings()
    )
    handlers = installed_handlers(daemon)
    runner = threading.Thread(target=daemon.run)
    runner.start()
    try:
        until(lambda: daemon.scans >= 1, "the first scan")
        assert returns_while_the_loop_holds_its_lock(daemon, handlers[signal.SIGHUP], signal.SIGHUP)
        until(lambda: daemon.scans >= 2, "the rescan the SIGHUP asked for")
        assert "rescanning: SIGHUP" in caplog.text
        assert returns_while_the_loop_holds_its_lock(daemon, handlers[signal.SIGTERM], signal.SIGTERM)
        runner.join(timeout=10)
        assert not runner.is_alive(), "the loop did not end after SIGTERM"
    finally:
        daemon.stop()
        runner.join(timeout=10)


def test_sigint_also_ends_the_loop_and_takes_no_lock() -> None:
    daemon = Daemon(layout(), [], [], settings=Settings())
    handlers = installed_handlers(daemon)
    assert returns_while_the_loop_holds_its_lock(daemon, handlers[signal.SIGINT], signal.SIGINT)
    runner = threading.Thread(target=daemon.run)
    runner.start()
    runner.join(timeout=10)
    assert not runner.is_alive() and daemon.scans == 0  # stopped before it began


def test_a_wakeup_given_before_the_wait_is_not_lost_and_is_taken_once() -> None:
    wake = Wakeup()
    try:
        assert wake.wait(0) is False
        for _ in range(100_000):  # more than a pipe holds: the extra ones are already pending
            wake.set()
        assert wake.wait(5) is True
        assert wake.wait(0) is False
    finally:
        wake.close()
    wake.set()  # after close (a late signal): nothing happens

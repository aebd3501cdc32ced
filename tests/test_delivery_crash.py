"""A delivery run killed with SIGKILL halfway, then run again: nobody gets a message twice.

A real SMTP server (aiosmtpd) receives the mail; the child process delivers through it with
smtplib and the real ledger. The one message that may be in flight at the kill is reported
as interrupted and not resent; every other message arrives exactly once.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from sheetcrm.ledger import Ledger
from sheetcrm.outbound import DeliveryStatus
from tests.crash_delivery import KEY_HEADER, crash_messages

ROOT = Path(__file__).resolve().parent.parent
N, KILL_AT = 40, 15
INTERRUPTED = "interrupted: state unknown, not resent to avoid a duplicate"

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


class Mailbox:
    """The SMTP server's side: every key received, in order; may kill the sender mid-DATA."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay  # seconds per message, so a run lasts long enough to be hit
        self.keys: list[str] = []
        self.kill_in_data: subprocess.Popen[str] | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(self.delay)
        self.keys.append(str(message_from_bytes(envelope.original_content)[KEY_HEADER]))
        if self.kill_in_data is not None and len(self.keys) == KILL_AT:
            # The server has the message, the sender never hears "250": truly in flight.
            os.kill(self.kill_in_data.pid, signal.SIGKILL)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _child(state_dir: Path, port: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.crash_delivery", str(state_dir), str(port), str(N)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(child: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    report: dict[str, Any] = json.loads(out)
    return report


@pytest.mark.parametrize("kill", ["in the send", "whenever"])
def test_a_killed_run_then_a_rerun_send_every_message_at_most_once(
    tmp_path: Path, kill: str
) -> None:
    mailbox, port = Mailbox(), _free_port()
    server = Controller(mailbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        child = _child(tmp_path, port)
        if kill == "in the send":
            mailbox.kill_in_data = child
        else:  # from outside, at whatever point the child has reached
            deadline = time.monotonic() + 60
            while len(mailbox.keys) < KILL_AT and time.monotonic() < deadline:
                time.sleep(0.001)
            child.kill()
        child.communicate(timeout=60)
        assert child.returncode == -signal.SIGKILL
        got_before_kill = len(mailbox.keys)

        rerun = _finish(_child(tmp_path, port))
        again = _finish(_child(tmp_path, port))
    finally:
        server.stop()

    every_key = {m.key for m in crash_messages(N)}
    interrupted = set(rerun["interrupted"])
    counts = Counter(mailbox.keys)
    assert max(counts.values()) == 1, "a message was received twice"
    assert len(interrupted) <= 1
    assert every_key - interrupted <= set(counts), "a message not in flight was never sent"
    assert set(rerun["sent"]) == every_key - set(mailbox.keys[:got_before_kill]) - interrupted
    assert KILL_AT <= got_before_kill < N
    if kill == "in the send":
        assert interrupted == {mailbox.keys[KILL_AT - 1]}  # received, so rightly not resent
    # A third run finds everything settled and sends nothing.
    assert (again["sent"], again["interrupted"], again["already"]) == ([], [], N)
    assert set(counts) <= every_key


def test_killed_again_and_again_at_random_moments(tmp_path: Path) -> None:
    """Kills land anywhere: in a commit, between claim and send, during recovery itself."""
    mailbox, port, rng, kills = Mailbox(delay=0.01), _free_port(), random.Random(4), 0
    server = Controller(mailbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        while kills < 8:
            child = _child(tmp_path, port)
            time.sleep(rng.uniform(0.1, 0.3))  # the child needs ~0.1 s to import
            if child.poll() is not None:
                break
            child.kill()
            child.communicate(timeout=60)
            kills += 1
        final = _finish(_child(tmp_path, port))
    finally:
        server.stop()

    with Ledger.in_state_dir(tmp_path) as ledger:
        entries = {entry.key: entry for entry in ledger.entries()}
    interrupted = {key for key, entry in entries.items() if entry.interrupted}
    every_key = {m.key for m in crash_messages(N)}
    counts = Counter(mailbox.keys)
    assert kills >= 2
    assert max(counts.values()) == 1, "a message was received twice"
    assert len(interrupted) <= kills  # at most one in flight per kill
    assert every_key - interrupted <= set(counts), "a message not in flight was never sent"
    assert {key for key, e in entries.items() if e.status is DeliveryStatus.SENT} == (
        every_key - interrupted
    )
    assert len(final["sent"]) + final["already"] == N

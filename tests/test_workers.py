"""`workcred serve --workers N`: each worker listens on a socket of its own (SO_REUSEPORT), so
connections are spread by the kernel; a worker that dies is replaced; a signal stops them all."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.cli import workcred
from tests.cluster import ROOT, free_port
from tests.suite import suite_environment

pytestmark = pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="this platform has no SO_REUSEPORT")


def children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def listening_sockets(pid: int, port: int) -> set[str]:
    """The inodes of the process's sockets that listen on `port` (from /proc; none once it is gone)."""
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except FileNotFoundError:
        return set()
    listening = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port and fields[9] in inodes:
                listening.add(fields[9])
    return listening


def until(condition, seconds: float = 60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (value := condition()):
            return value
        time.sleep(0.05)  # polling a process we started, not waiting for time to pass
    raise AssertionError("not reached in time")


def healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
def test_workers_listen_apart_are_replaced_when_they_die_and_stop_together(fresh_database):
    url = fresh_database("migrated")
    assert workcred(url, "migrate").returncode == 0
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "workcred.cli", "serve", "--workers", "2", "--port", str(port)],
        cwd=ROOT, env={**os.environ, **suite_environment(url)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        until(lambda: healthy(base) and len(children(server.pid)) >= 2)
        # each worker holds a listening socket of its own on the port
        workers = until(lambda: len(ws := [w for w in children(server.pid) if listening_sockets(w, port)]) == 2 and ws)
        sockets = [listening_sockets(worker, port) for worker in workers]
        assert all(len(s) == 1 for s in sockets) and sockets[0] != sockets[1]
        # a worker killed outright is replaced, and the port keeps answering meanwhile
        os.kill(workers[0], signal.SIGKILL)
        replaced = until(lambda: len(ws := [w for w in children(server.pid) if listening_sockets(w, port)]) == 2
                         and workers[0] not in ws and ws)
        assert workers[1] in replaced and healthy(base)
        # and a signal to the parent stops every worker
        server.send_signal(signal.SIGTERM)
        assert server.wait(60) == 0
        assert not any(Path(f"/proc/{worker}").exists() for worker in replaced)
    finally:
        if server.poll() is None:
            server.kill()

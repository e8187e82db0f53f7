"""`/metrics` across server processes (PROMETHEUS_MULTIPROC_DIR): a process that died stops
counting its open sockets once a new one starts, while a live one's still count."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from prometheus_client import CollectorRegistry, multiprocess

from salesmagnet import metrics
from tests.procs import ROOT

# A server process's share of the gauge: it opens sockets, then exits or stays.
OPENS = "import sys; from salesmagnet import metrics\nfor _ in range({n}): metrics.socket_opened()\n{then}"


def sockets_counted(path: Path) -> float:
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(path))
    value = registry.get_sample_value("salesmagnet_sockets_connected")
    return value or 0.0


def test_a_dead_process_s_sockets_are_forgotten(tmp_path: Path) -> None:
    env = {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    dead = subprocess.run([sys.executable, "-c", OPENS.format(n=3, then="")], cwd=ROOT, env=env, check=True)
    assert dead.returncode == 0
    alive = subprocess.Popen(
        [sys.executable, "-c", OPENS.format(n=2, then="print('ready', flush=True); sys.stdin.read()")],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert alive.stdout is not None and alive.stdout.readline().strip() == "ready"
        assert sockets_counted(tmp_path) == 5  # the dead process's 3 still counted
        forgotten = metrics.forget_dead_processes(str(tmp_path))
        assert len(forgotten) == 1 and alive.pid not in forgotten
        assert sockets_counted(tmp_path) == 2
    finally:
        alive.communicate("")

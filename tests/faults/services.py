"""A Redis and a MariaDB of the test's own, on free ports, that a fault test may kill, freeze
and start again (never the shared ones). Real servers: redis-server and mariadbd from PATH."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
from pathlib import Path

from tests.mailbox import free_port

MARIADBD = shutil.which("mariadbd") or shutil.which("mysqld") or "/usr/sbin/mariadbd"
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
INSTALL_DB = shutil.which("mariadb-install-db") or shutil.which("mysql_install_db") or "mariadb-install-db"


async def _until(check: object, seconds: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not await check():  # type: ignore[operator]
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{what} did not start within {seconds} s")
        await asyncio.sleep(0.05)


async def _accepts(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    return True


class OwnRedis:
    """redis-server on a free port, in the foreground of a child process."""

    def __init__(self) -> None:
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        args = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.proc = subprocess.Popen([REDIS_SERVER, *args], stdout=subprocess.DEVNULL)  # noqa: ASYNC220
        await _until(lambda: _accepts(self.port), 10, "redis-server")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


class OwnMariaDB:
    """mariadbd on a free port with a data directory of its own (made once, kept across restarts)."""

    def __init__(self, base: Path) -> None:
        self.port = free_port()
        self.data = base / "data"
        self.base = base
        self.proc: subprocess.Popen[bytes] | None = None

    def url(self, database: str) -> str:
        return f"mysql://root:@127.0.0.1:{self.port}/{database}"

    async def start(self) -> None:
        if not self.data.exists():
            subprocess.run(
                [INSTALL_DB, "--no-defaults", f"--datadir={self.data}", "--user=root",
                 "--auth-root-authentication-method=normal", "--skip-test-db"],
                check=True, capture_output=True, timeout=120,
            )  # fmt: skip
        self.proc = subprocess.Popen(  # noqa: ASYNC220 - returns at once; the wait below is async
            [MARIADBD, "--no-defaults", f"--datadir={self.data}", f"--port={self.port}",
             "--bind-address=127.0.0.1", f"--socket={self.base / 'mysqld.sock'}", "--user=root",
             "--innodb-buffer-pool-size=64M", f"--log-error={self.base / 'error.log'}",
             f"--pid-file={self.base / 'mysqld.pid'}", "--skip-log-bin"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        await _until(self._answers, 60, "mariadbd")

    async def _answers(self) -> bool:
        import aiomysql

        try:
            conn = await aiomysql.connect(host="127.0.0.1", port=self.port, user="root", connect_timeout=1)
        except Exception:
            return False
        conn.close()
        return True

    async def create(self, database: str) -> None:
        import aiomysql

        conn = await aiomysql.connect(host="127.0.0.1", port=self.port, user="root", autocommit=True)
        async with conn.cursor() as cur:
            await cur.execute(f"CREATE DATABASE IF NOT EXISTS `{database}` CHARACTER SET utf8mb4")
        conn.close()

    def freeze(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGCONT)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.thaw()
            self.proc.kill()
            self.proc.wait(30)

"""A throwaway PostgreSQL server in a temporary directory, for tests and benchmarks.

It runs the real server binaries (Debian package ``postgresql``): ``initdb`` a cluster into a
temporary directory, ``pg_ctl start`` it on a free port of 127.0.0.1, hand out a connection URL
per fresh database, and ``pg_ctl stop`` it and remove the directory at the end.

PostgreSQL refuses to run as root, so when this process is root the binaries are run as the
``postgres`` system user (created by the Debian package) through ``runuser``.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

__all__ = ["PostgresServer", "PostgresStartError", "PostgresUnavailable", "find_pg_bin", "shared_server"]


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server binaries are not installed."""


class PostgresStartError(RuntimeError):
    """The binaries are there but the server could not be set up or started."""


def find_pg_bin() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``: $PATH first, then Debian's versioned dirs."""
    env = os.environ.get("NEWSEVENTS_PG_BIN")
    if env and (Path(env) / "initdb").exists():
        return Path(env)
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(os.path.realpath(initdb)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                      key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if versions:
        return Path(versions[-1]).parent
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """Start with :meth:`start`, stop with :meth:`stop` (or use it as a context manager)."""

    def __init__(self, bin_dir: Path | None = None) -> None:
        self.bin_dir = bin_dir or find_pg_bin()
        if self.bin_dir is None:
            raise PostgresUnavailable(
                "PostgreSQL server binaries (initdb, pg_ctl) not found: install the Debian package "
                "'postgresql' or set NEWSEVENTS_PG_BIN")
        self.root: Path | None = None
        self.port: int | None = None
        self.user = "postgres"
        self._as_user: list[str] = []

    # -- running the binaries --------------------------------------------------
    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = self._as_user + [str(self.bin_dir / args[0]), *args[1:]]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if check and proc.returncode != 0:
            raise PostgresStartError(f"{args[0]} failed ({proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")
        return proc

    def start(self) -> "PostgresServer":
        self.root = Path(tempfile.mkdtemp(prefix="newsevents-pg-"))
        data = self.root / "data"
        if os.geteuid() == 0:
            import pwd

            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresStartError("running as root but there is no 'postgres' system user to run the server") from None
            runuser = shutil.which("runuser")
            if runuser is None:
                raise PostgresStartError("running as root and 'runuser' is missing")
            self._as_user = [runuser, "-u", "postgres", "--"]
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        self._run("initdb", "-D", str(data), "-U", self.user, "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        # a port can be taken between choosing and binding: try a few
        last = None
        for _ in range(5):
            self.port = _free_port()
            opts = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                    f"-c full_page_writes=off -c max_connections=40 -c shared_buffers=64MB")
            proc = self._run("pg_ctl", "-D", str(data), "-o", opts, "-l", str(self.root / "server.log"),
                             "-w", "-t", "60", "start", check=False)
            if proc.returncode == 0:
                atexit.register(self.stop)
                return self
            last = proc.stderr.strip() or proc.stdout.strip()
        log = (self.root / "server.log").read_text(errors="replace")[-2000:] if (self.root / "server.log").exists() else ""
        self.stop()
        raise PostgresStartError(f"pg_ctl start failed: {last}\n{log}")

    def stop(self) -> None:
        if self.root is None:
            return
        data = self.root / "data"
        if (data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def __enter__(self) -> "PostgresServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- databases ----------------------------------------------------------------
    @property
    def admin_url(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/postgres"

    def url(self, dbname: str) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, prefix: str = "newsevents") -> str:
        """A new empty database; returns its connection URL."""
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


_shared: PostgresServer | None = None


def shared_server() -> PostgresServer:
    """One server per process (started on first use, stopped at exit): tests share it."""
    global _shared
    if _shared is None or _shared.root is None:
        _shared = PostgresServer().start()
    return _shared

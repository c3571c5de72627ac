"""A Docker daemon of ``make check-lms``'s own: started in a temporary folder, stopped and removed at the end.

It runs as these machines allow (``/work/shared/DESIGN.md``, "Docker here"):
no iptables, no bridge; its data root, exec root, pid file and socket all
live under one temporary folder, so it never meets another daemon on the
machine. Containers then run with ``--network none`` and builds with
``--network host``.

The storage driver is overlay2 where this machine can mount an overlay (tried
first, on the data root's own file system), else vfs, which works everywhere
but copies the whole image for every build step and container. Measured here
(the spread is the machine's load): building the image took 82 to 124 s with
overlay2 and 120 to 500 s with vfs; one ``docker run`` 6 to 20 s with overlay2
and 24 to 220 s with vfs. ``LLMUTH_LMS_STORAGE=vfs`` (or ``overlay2``) forces one.
"""

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path


def docker_client() -> str | None:
    """Debian's docker client (it matches Debian's daemon), else whatever ``docker`` is on PATH."""
    return shutil.which("docker", path="/usr/bin:/usr/sbin") or shutil.which("docker")


def dockerd_binary() -> str | None:
    return shutil.which("dockerd", path="/usr/sbin:/usr/bin") or shutil.which("dockerd")


def overlay_mounts(folder: Path) -> bool:
    """Can this machine mount an overlay file system in ``folder`` (what overlay2 needs)?"""
    layers = [folder / name for name in ("lower", "upper", "work", "merged")]
    for layer in layers:
        layer.mkdir(parents=True, exist_ok=True)
    options = f"lowerdir={layers[0]},upperdir={layers[1]},workdir={layers[2]}"
    mounted = subprocess.run(["mount", "-t", "overlay", "overlay", "-o", options, str(layers[3])], capture_output=True)
    if mounted.returncode == 0:
        subprocess.run(["umount", str(layers[3])], capture_output=True)
    shutil.rmtree(folder, ignore_errors=True)
    return mounted.returncode == 0


class Dockerd:
    """``with Dockerd() as docker: docker.run(["build", ...])``; ``docker.env`` points a client at it."""

    def __init__(self, log: Path, storage: str | None = None):
        self.log = log
        self.folder = Path(tempfile.mkdtemp(prefix="llmuth-dk-", dir="/var/tmp"))  # short: socket paths <108 bytes
        self.socket = self.folder / "docker.sock"
        self.env = {**os.environ, "DOCKER_HOST": f"unix://{self.socket}", "DOCKER_BUILDKIT": "0"}
        self.client = docker_client()
        self.process: subprocess.Popen | None = None
        self.storage = (
            storage
            or os.environ.get("LLMUTH_LMS_STORAGE")
            or ("overlay2" if overlay_mounts(self.folder / "probe") else "vfs")
        )

    def __enter__(self) -> "Dockerd":
        command = [
            dockerd_binary(),
            f"--storage-driver={self.storage}",
            "--iptables=false",
            "--ip6tables=false",
            "--bridge=none",
            f"--data-root={self.folder / 'data'}",
            f"--exec-root={self.folder / 'exec'}",
            f"--pidfile={self.folder / 'docker.pid'}",
            f"--host=unix://{self.socket}",
        ]
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._cleanup()
                raise RuntimeError(f"dockerd exited ({self.process.returncode}): {self.log.read_text()[-1500:]}")
            if self.socket.exists() and self.run(["version"], check=False, timeout=10).returncode == 0:
                return self
            time.sleep(0.5)
        self.__exit__(None, None, None)
        raise RuntimeError(f"dockerd did not answer within 90 s: {self.log.read_text()[-1500:]}")

    def run(self, args: list[str], check: bool = True, timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
        """``docker ARGS`` against this daemon, output captured."""
        run = subprocess.run(
            [self.client, *args], env=self.env, capture_output=True, text=True, timeout=timeout, **kwargs
        )
        if check and run.returncode != 0:
            raise RuntimeError(f"docker {' '.join(args[:3])} failed ({run.returncode}): {run.stderr[-3000:]}")
        return run

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # it stops its containers and its own containerd
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # its own session: dockerd and its containerd only
                self.process.wait()
        self._cleanup()

    def _cleanup(self) -> None:
        inside = [line.split()[1] for line in Path("/proc/self/mounts").read_text().splitlines()]
        for mount_point in sorted((m for m in inside if m.startswith(f"{self.folder}/")), reverse=True):
            subprocess.run(["umount", "-l", mount_point], capture_output=True)  # dockerd leaves exec/netns/default
        shutil.rmtree(self.folder, ignore_errors=True)

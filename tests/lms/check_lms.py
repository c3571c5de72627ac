"""``make check-lms``: the LMS path run for real, each step timed, skipping only what this machine cannot do.

    sudo .venv/bin/python tests/lms/check_lms.py      # what `make check-lms` runs (root: apt, /opt, dockerd)

1. ``packages``: ``apt-get update`` once, then whatever is missing of the
   system Python with venv, ``docker.io`` and ``debootstrap``.
2. ``bundle``: ``make autograder OFFLINE=1`` (every wheel in the bundle).
3. ``setup.sh``: the bundle, unzipped as Gradescope does into a fresh
   root-owned folder under ``/opt``, set up by its own ``setup.sh`` with the
   system Python (``PATH=/usr/bin:/bin``, no pip configuration, no index); the
   venv must be usable by ``nobody`` and the grader's source not readable.
4. ``grade``: ``run_autograder`` grades the reference (full marks), the stubs
   (0) and the project's hostile example (nothing for its attacks, nothing
   escaped); each results.json lists the sandbox layers, and a layer this
   machine supports must be active (the unprivileged uid included).
5. ``docker``: a ``dockerd`` of its own (``lms_dockerd.py``: overlay2 where
   the machine mounts overlays, else vfs); a Debian base from ``debootstrap``
   and ``docker import`` (the tarball cached in ``/var/cache/llmuth-check-lms``);
   the image built from the bundle with ``--build-arg BASE=`` and
   ``--network host``; the reference and the stubs graded by ``docker run
   --network none`` (inside Docker namespaces are refused, the other five
   layers must be active); the daemon stopped and its folder removed.

Each step's wall time, status and detail go to ``dist/check-lms/times.txt``
(and ``report.json``, with every results.json's layers); logs lie next to
them. The exit status is 1 if any step failed; a skip says why.
"""

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO), str(Path(__file__).parent)]

import lms_expect  # noqa: E402
from lms_dockerd import Dockerd, docker_client, dockerd_binary  # noqa: E402

OUT = REPO / "dist" / "check-lms"
BUNDLE = REPO / "dist" / "autograder.zip"
STAGED = REPO / "dist" / "autograder"
CACHE = Path(os.environ.get("LLMUTH_LMS_CACHE", "/var/cache/llmuth-check-lms"))
BASE_IMAGE, IMAGE = "llmuth-bookworm-minbase", "llmuth-grader:check"
MIRROR = "http://deb.debian.org/debian"
ESCAPE_MARK = Path("/tmp/llmuth-escaped")  # what the hostile features.py tries to write
BARE_ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/root", "PIP_CONFIG_FILE": os.devnull}


class Skip(Exception):
    """This machine cannot do the step; the message says why."""


def run_logged(command: list[str], log: Path, timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
    """Run a command with its output in ``log``; raise with the log's tail if it fails."""
    with open(log, "w") as handle:
        run = subprocess.run(command, stdout=handle, stderr=subprocess.STDOUT, timeout=timeout, **kwargs)
    if run.returncode != 0:
        raise RuntimeError(f"{Path(command[0]).name} exited {run.returncode}; {log}:\n{log.read_text()[-2500:]}")
    return run


def step_line(step: dict) -> str:
    """One line of the step table: name, wall time, status, the first line of the detail."""
    detail = step["detail"].splitlines()[0] if step["detail"] else ""
    return f"{step['step']:<34} {step['seconds']:7.1f} s  {step['status']:<7} {detail}"


def root_is_open(tarball: Path) -> bool:
    """Is the first entry of a root file system tarball, its '/', mode 0755?"""
    with tarfile.open(tarball) as archive:
        first = archive.next()
    return first is not None and first.name in (".", "./") and first.mode & 0o777 == 0o755


def processes_running_from(folder: Path) -> list[int]:
    """Live processes (not zombies) whose command line names ``folder``: what outlived a grading run."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if str(folder) in command and state not in ("Z", "X"):
            found.append(int(proc.name))
    return found


class Check:
    def __init__(self):
        OUT.mkdir(parents=True, exist_ok=True)
        self.steps: list[dict] = []
        self.layers: dict[str, dict] = {}
        self.root: Path | None = None
        self.manifest: list[dict] = []
        self.parts: list[int] = []
        self.cleaner: threading.Thread | None = None

    def step(self, name: str, function, *args) -> bool:
        """Run one step, timed; True if it passed. A failed or skipped step is reported, never silent."""
        started = time.monotonic()
        try:
            status, detail = "ok", function(*args) or ""
        except Skip as skip:
            status, detail = "skipped", str(skip)
        except Exception as error:  # noqa: BLE001 - a failed step is reported and the check goes on
            status, detail = "FAILED", f"{type(error).__name__}: {error}"
        seconds = time.monotonic() - started
        self.steps.append({"step": name, "seconds": round(seconds, 1), "status": status, "detail": detail})
        print(f"check-lms: {step_line(self.steps[-1])}")
        if status == "FAILED" and "\n" in detail:
            print("    " + detail.split("\n", 1)[1].replace("\n", "\n    "))
        sys.stdout.flush()
        return status == "ok"

    # -- 1. packages ---------------------------------------------------------------------------------------

    def packages(self) -> str:
        if os.geteuid() != 0:
            raise Skip("not root: apt-get, /opt and dockerd need root")
        wanted = []
        python = Path("/usr/bin/python3")
        if (
            not python.exists()
            or subprocess.run([python, "-c", "import ensurepip, venv"], capture_output=True).returncode
        ):
            wanted += ["python3", "python3-venv"]
        wanted += [] if dockerd_binary() else ["docker.io"]
        wanted += [] if shutil.which("debootstrap") else ["debootstrap"]
        if not wanted:
            return "system Python with venv, dockerd and debootstrap already installed"
        if not shutil.which("apt-get"):
            raise Skip(f"no apt-get to install {' '.join(wanted)}")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        try:
            run_logged(["apt-get", "update", "-q"], OUT / "apt-update.log", env=env)
            run_logged(["apt-get", "install", "-y", "-q", *wanted], OUT / "apt-install.log", env=env)
        except RuntimeError as error:
            raise Skip(f"apt-get could not install {' '.join(wanted)}: {str(error)[-300:]}") from error
        return f"installed {' '.join(wanted)}"

    # -- 2. bundle -----------------------------------------------------------------------------------------

    def bundle(self) -> str:
        run_logged([os.environ.get("MAKE", "make"), "autograder", "OFFLINE=1"], OUT / "bundle.log", cwd=REPO)
        self.manifest = json.loads((STAGED / "manifest.json").read_text())
        self.parts = json.loads((STAGED / "bundle.json").read_text())["parts"]
        wheels = sorted((STAGED / "wheels").glob("*.whl"))
        points = sum(e["points"] for e in self.manifest)
        return f"{BUNDLE.stat().st_size / 1e6:.0f} MB, {len(wheels)} wheels, {len(self.manifest)} tests, {points:g} pts"

    # -- 3. setup.sh on the system Python --------------------------------------------------------------------

    def setup(self) -> str:
        if os.geteuid() != 0:
            raise Skip("not root: setup.sh installs into /opt as root, and the sandbox drops to uid 65534")
        minor = json.loads((STAGED / "bundle.json").read_text())["python"].rsplit(".", 1)[0]
        if not Path(f"/usr/bin/python{minor}").is_file():
            raise Skip(f"no /usr/bin/python{minor}: the bundle's wheels are for Python {minor}")
        self.root = Path(tempfile.mkdtemp(prefix="llmuth-check-", dir="/opt"))
        self.root.chmod(0o755)  # root-owned, and 'nobody' may walk into it (the venv must be usable by the sandbox)
        source = self.root / "source"
        with zipfile.ZipFile(BUNDLE) as archive:
            archive.extractall(source)
            for info in archive.infolist():  # extractall drops the mode bits; Gradescope keeps them
                os.chmod(source / info.filename, (info.external_attr >> 16) & 0o777)
        env = {**BARE_ENV, "AUTOGRADER_ROOT": str(self.root), "AUTOGRADER_VENV": str(self.root / "venv")}
        run_logged(["/bin/bash", str(source / "setup.sh")], OUT / "setup.log", env=env, cwd=self.root)
        home = (self.root / "venv" / "pyvenv.cfg").read_text()
        if "home = /usr/bin" not in home:
            raise RuntimeError(f"the venv is not built on the system Python:\n{home}")
        as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        python = str(self.root / "venv" / "bin" / "python")
        usable = subprocess.run([*as_nobody, python, "-c", "import torch, numpy, pytest"], capture_output=True)
        if usable.returncode != 0:
            raise RuntimeError(f"'nobody' cannot use the venv: {usable.stderr.decode()[-500:]}")
        hidden = subprocess.run([*as_nobody, "cat", str(source / "manifest.json")], capture_output=True)
        if hidden.returncode == 0:
            raise RuntimeError("'nobody' can read the grader's source after setup.sh")
        version = subprocess.run([python, "--version"], capture_output=True, text=True).stdout.strip()
        if "installing offline" not in (OUT / "setup.log").read_text():
            raise RuntimeError("setup.sh did not install from the bundle's wheels")
        return f"{version} venv in {self.root}, installed offline; usable by nobody, source root-only"

    # -- 4. grading through run_autograder ----------------------------------------------------------------------

    def lay_out(self, case: str, target: Path) -> None:
        """The files of one case as a learner uploads them: partN/<file>.py."""
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        if case == "hostile":
            from autograder.examples import build_class

            with tempfile.TemporaryDirectory() as scratch:
                shutil.copytree(build_class(Path(scratch) / "class") / "hostile", target, dirs_exist_ok=True)
            return
        folder = {"reference": "solutions", "stubs": "assignments"}[case]
        from autograder.shared.api import PARTS

        for number in self.parts:
            part = PARTS[number].folder
            (target / part).mkdir()
            for path in sorted((REPO / folder / part).glob("*.py")):
                shutil.copyfile(path, target / part / path.name)

    def judge(self, where: str, case: str, results_file: Path, in_docker: bool) -> str:
        if not results_file.is_file():
            raise RuntimeError(f"no results.json written for {case}")
        results = json.loads(results_file.read_text())
        layers = results.get("extra_data", {}).get("sandbox_layers", {})
        self.layers[f"{where}/{case}"] = layers
        supported = lms_expect.supported_layers(in_docker=in_docker)
        problems = lms_expect.score_problems(case, results, self.manifest)
        problems += lms_expect.layer_problems(layers, supported)
        if problems:
            raise RuntimeError("; ".join(problems) + f"\noutput: {results.get('output', '')[:1500]}")
        top = sum(e["points"] for e in self.manifest)
        active = [name for name, state in layers.items() if state.startswith("active")]
        off = {name: state for name, state in layers.items() if not state.startswith("active")}
        said = f"{results['score']:g}/{top:g}; {len(active)} of {len(layers)} layers active"
        return said + (f" (off as expected here: {'; '.join(f'{k}: {v}' for k, v in off.items())})" if off else "")

    def grade(self, case: str) -> str:
        if self.root is None:
            raise Skip("setup.sh did not run")
        self.lay_out(case, self.root / "submission")
        shutil.rmtree(self.root / "results", ignore_errors=True)
        ESCAPE_MARK.unlink(missing_ok=True)
        env = {**BARE_ENV, "AUTOGRADER_ROOT": str(self.root), "AUTOGRADER_PYTHON": str(self.root / "venv/bin/python")}
        if case == "hostile":
            env["AUTOGRADER_CALL_TIMEOUT"] = "5"  # its sigmoid never returns
        started = time.monotonic()
        run_logged([str(self.root / "run_autograder")], OUT / f"grade-{case}.log", env=env, cwd=self.root)
        seconds = time.monotonic() - started
        time.sleep(1)  # a worker killed with its monitor needs a moment to go
        left = processes_running_from(self.root)
        for pid in left:
            os.kill(pid, 9)  # started by this check's run_autograder: stop them before failing
        if left:
            raise RuntimeError(f"{len(left)} processes outlived run_autograder (pids {left}), e.g. a learner's loop")
        if ESCAPE_MARK.exists():
            raise RuntimeError(f"the hostile submission wrote {ESCAPE_MARK} outside its sandbox")
        shutil.copyfile(self.root / "results/results.json", OUT / f"results-{case}.json")
        return self.judge("setup.sh", case, self.root / "results/results.json", in_docker=False) + f"; {seconds:.1f} s"

    # -- 5. Docker ---------------------------------------------------------------------------------------

    def docker_start(self) -> str:
        if os.geteuid() != 0:
            raise Skip("not root: dockerd needs root")
        if not dockerd_binary() or not docker_client():
            raise Skip("no dockerd or docker client (docker.io could not be installed)")
        daemon = Dockerd(OUT / "dockerd.log")
        try:
            self.docker = daemon.__enter__()
        except RuntimeError as error:
            if daemon.storage != "overlay2" or os.environ.get("LLMUTH_LMS_STORAGE"):
                raise Skip(f"this machine cannot run dockerd: {str(error)[:400]}") from error
            try:  # overlay mounts work but dockerd's overlay2 does not: vfs works wherever dockerd does
                self.docker = Dockerd(OUT / "dockerd.log", storage="vfs").__enter__()
            except RuntimeError as again:
                raise Skip(f"this machine cannot run dockerd: {str(again)[:400]}") from again
        version = self.docker.run(["version", "--format", "{{.Server.Version}}"]).stdout.strip()
        return f"dockerd {version} ({self.docker.storage}, no iptables, no bridge) in {self.docker.folder}"

    def docker_base(self) -> str:
        tarball = CACHE / "bookworm-minbase.tar"
        made = "cached"
        if tarball.is_file() and not root_is_open(tarball):
            tarball.unlink()  # an older cache whose / was 0700: 'nobody' could not reach the Python inside
        if not tarball.is_file():
            if not shutil.which("debootstrap"):
                raise Skip("no debootstrap (it could not be installed)")
            CACHE.mkdir(parents=True, exist_ok=True)
            rootfs = Path(tempfile.mkdtemp(prefix="llmuth-rootfs-", dir="/var/tmp"))
            try:
                try:
                    command = ["debootstrap", "--variant=minbase", "bookworm", str(rootfs), MIRROR]
                    run_logged(command, OUT / "debootstrap.log", timeout=900)
                except RuntimeError as error:
                    raise Skip(f"debootstrap could not build a base from {MIRROR}: {str(error)[-300:]}") from error
                rootfs.chmod(0o755)  # mkdtemp made it 0700: as the image's / it would lock 'nobody' out of everything
                partial = tarball.with_suffix(".part")
                with open(partial, "wb") as handle:
                    subprocess.run(["tar", "-C", str(rootfs), "-c", "."], stdout=handle, check=True)
                partial.replace(tarball)
                made = "debootstrapped"
            finally:
                shutil.rmtree(rootfs, ignore_errors=True)
        self.docker.run(["import", str(tarball), BASE_IMAGE])
        return f"{BASE_IMAGE} from {made} {tarball} ({tarball.stat().st_size / 1e6:.0f} MB)"

    def docker_build(self) -> str:
        command = ["build", "--network", "host", "--build-arg", f"BASE={BASE_IMAGE}", "-t", IMAGE, str(STAGED)]
        build = self.docker.run(command, check=False, timeout=900)
        (OUT / "docker-build.log").write_text(build.stdout + build.stderr)
        if build.returncode != 0:
            raise RuntimeError(
                f"docker build failed; {OUT / 'docker-build.log'}:\n{(build.stdout + build.stderr)[-2500:]}"
            )
        size = self.docker.run(["image", "inspect", IMAGE, "--format", "{{.Size}}"]).stdout.strip()
        if "installing offline" not in build.stdout:
            raise RuntimeError("setup.sh inside the image did not install from the bundle's wheels")
        return f"{IMAGE} ({int(size) / 1e9:.1f} GB), setup.sh installed offline"

    def docker_grade(self, case: str) -> str:
        work = Path(tempfile.mkdtemp(prefix=f"llmuth-docker-{case}-"))
        try:
            self.lay_out(case, work / "submission")
            (work / "results").mkdir()
            command = ["run", "--rm", "--network", "none"]
            command += [
                "-v",
                f"{work / 'submission'}:/autograder/submission:ro",
                "-v",
                f"{work / 'results'}:/autograder/results",
            ]
            started = time.monotonic()
            run = self.docker.run([*command, IMAGE], check=False, timeout=900)
            seconds = time.monotonic() - started
            (OUT / f"docker-{case}.log").write_text(run.stdout + run.stderr)
            if run.returncode != 0:
                raise RuntimeError(f"docker run exited {run.returncode}:\n{(run.stdout + run.stderr)[-2500:]}")
            shutil.copyfile(work / "results/results.json", OUT / f"docker-results-{case}.json")
            return self.judge("docker", case, work / "results/results.json", in_docker=True) + f"; {seconds:.1f} s"
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def docker_stop(self) -> str:
        folder = self.docker.folder
        self.docker.__exit__(None, None, None)
        return f"dockerd stopped, {folder} removed"

    # -- the whole check ---------------------------------------------------------------------------------

    def main(self) -> int:
        started = time.monotonic()
        self.docker = None
        self.step("packages", self.packages)
        if not self.step("bundle: make autograder OFFLINE=1", self.bundle):
            return self.finish(started)
        if self.step("setup.sh (system Python)", self.setup):
            for case in ("reference", "stubs", "hostile"):
                self.step(f"run_autograder: {case}", self.grade, case)
        self.start_cleanup()
        if self.step("docker: own dockerd", self.docker_start):
            try:
                if self.step("docker: debian base", self.docker_base) and self.step("docker: build", self.docker_build):
                    for case in ("reference", "stubs"):
                        self.step(f"docker run: {case}", self.docker_grade, case)
            finally:
                self.step("docker: stop dockerd", self.docker_stop)
        return self.finish(started)

    def start_cleanup(self) -> None:
        """Remove the /opt folder while the Docker steps run: deleting a venv file by file is slow on this disk."""
        if self.root is not None and not os.environ.get("LLMUTH_LMS_KEEP"):
            self.cleaner = threading.Thread(target=shutil.rmtree, args=(self.root,), kwargs={"ignore_errors": True})
            self.cleaner.start()

    def cleanup(self) -> str:
        if self.cleaner is None:
            return f"kept {self.root} (LLMUTH_LMS_KEEP)"
        self.cleaner.join()
        return f"removed {self.root}" + ("" if not self.root.exists() else " (partly: see its permissions)")

    def finish(self, started: float) -> int:
        if self.root is not None:
            self.step("cleanup: the /opt folder (waited)", self.cleanup)
        total = time.monotonic() - started
        lines = [step_line(step) for step in self.steps]
        lines.append(f"{'total':<34} {total:7.1f} s")
        (OUT / "times.txt").write_text("\n".join(lines) + "\n")
        report = {"steps": self.steps, "total_seconds": round(total, 1), "layers": self.layers}
        (OUT / "report.json").write_text(json.dumps(report, indent=2) + "\n")
        failed = [s["step"] for s in self.steps if s["status"] == "FAILED"]
        skipped = [s["step"] for s in self.steps if s["status"] == "skipped"]
        print(f"check-lms: {total:.0f} s in all; wrote {OUT / 'times.txt'}")
        if skipped:
            print(f"check-lms: SKIPPED on this machine: {', '.join(skipped)} (reasons above)")
        if failed:
            print(f"check-lms: FAILED: {', '.join(failed)}")
            return 1
        return 0


if __name__ == "__main__":
    sys.exit(Check().main())

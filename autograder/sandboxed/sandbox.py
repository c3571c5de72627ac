"""The isolation layers a worker puts between learner code and everything else, each one tried and reported.

Applied in the freshly forked worker, before the learner's files are imported:

1. namespaces: new user (when not root), network, PID and IPC namespaces; with a
   PID namespace everything the learner starts dies with the worker;
2. rlimits with soft = hard: CPU seconds, address space, file size, open files, no core;
3. an unprivileged uid (when root and the Python installation is readable by it);
4. Landlock: read-only access to the Python installation and system libraries,
   read-write access to the submission's scratch copy only, no TCP, and (ABI 6+)
   no signals to processes outside the sandbox;
5. seccomp: no fork/exec, no internet or raw sockets, no ptrace, no namespace or
   mount tricks, no signals to other processes.

No layer is assumed: each returns what happened, and the grader's report lists
the layers that were active for every submission.
"""

import ctypes
import errno
import os
import platform
import resource
import select
import signal
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP = 1, 4, 38, 22
SANDBOX_UID = 65534  # nobody


@dataclass(frozen=True)
class WorkerLimits:
    cpu_seconds: int = 900
    memory_bytes: int = 2 * 2**30  # address space the learner may add on top of what torch already maps
    file_bytes: int = 8 * 2**20
    open_files: int = 256


def _error(prefix: str) -> str:
    code = ctypes.get_errno()
    return f"unavailable ({prefix}: {os.strerror(code) if code else 'failed'})"


# -- 1. namespaces ----------------------------------------------------------------


def enter_namespaces() -> str:
    """unshare() network, PID and IPC namespaces (and a user namespace when not root)."""
    flags = CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS
    uid, gid = os.getuid(), os.getgid()
    if uid != 0:
        flags |= CLONE_NEWUSER
    if _libc.unshare(flags) != 0:
        return _error("unshare")
    if uid != 0:
        try:
            Path("/proc/self/setgroups").write_text("deny")
            Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
            Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
        except OSError as error:
            return f"partial (maps: {error.strerror})"
    return "active (network, PID, IPC" + (", user)" if uid != 0 else ")")


def die_with_parent() -> None:
    """SIGKILL this process when its parent dies (the kernel forgets this when the uid changes: see below)."""
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def exit_if_parent_died(parent_alive: int) -> None:
    """Close the race of ``die_with_parent``: a parent that died before the call sends no signal.

    ``parent_alive`` is the read end of a pipe whose write end only the parent
    holds: readable (end of file) once the parent is gone. ``getppid()`` cannot
    tell, as PID 1 of a new PID namespace it always says 0.
    """
    readable = select.select([parent_alive], [], [], 0)[0]
    os.close(parent_alive)
    if readable:
        os._exit(137)


# -- 2. rlimits -------------------------------------------------------------------


def apply_rlimits(limits: WorkerLimits, allow_gpu: bool) -> str:
    settings = [
        (resource.RLIMIT_CPU, limits.cpu_seconds),
        (resource.RLIMIT_FSIZE, limits.file_bytes),
        (resource.RLIMIT_NOFILE, limits.open_files),
        (resource.RLIMIT_CORE, 0),
    ]
    if not allow_gpu:  # CUDA reserves terabytes of virtual address space
        settings.append((resource.RLIMIT_AS, _mapped_bytes() + limits.memory_bytes))
    applied = []
    for which, value in settings:
        try:
            resource.setrlimit(which, (value, value))
            applied.append(which)
        except (ValueError, OSError):
            pass
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an output flood then fails a write instead of killing
    names = "CPU, file size, open files, core" + ("" if allow_gpu else ", address space")
    return f"active ({names})" if len(applied) == len(settings) else f"partial ({len(applied)} of {len(settings)})"


def _mapped_bytes() -> int:
    """Virtual memory this process already maps (torch alone maps a few GB it never touches)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 4 * 2**30


# -- 3. unprivileged uid ------------------------------------------------------------


def _world_readable(path: Path) -> bool:
    """Can 'nobody' reach ``path``: every parent searchable and the path readable by others?"""
    path = path.resolve()
    for parent in [*reversed(path.parents), path]:
        mode = parent.stat().st_mode
        if not mode & 0o001:
            return False
    return bool(path.stat().st_mode & 0o004)


def drop_privileges(scratch: Path) -> str:
    if os.getuid() != 0:
        return f"active (already uid {os.getuid()})"
    stdlib = Path(os.__file__).parent
    if not _world_readable(stdlib):
        return f"unavailable (the Python installation at {stdlib} is not readable by an unprivileged user)"
    for path in [scratch, *scratch.rglob("*")]:
        os.chown(path, SANDBOX_UID, SANDBOX_UID, follow_symlinks=False)
    os.setgroups([])
    os.setgid(SANDBOX_UID)
    os.setuid(SANDBOX_UID)
    # Changing the uid clears two settings: dumpable (needed to write uid_map) and the parent-death signal,
    # without which a worker the trusted side stopped (by killing its monitor) would keep running learner code.
    _libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
    die_with_parent()
    return f"active (uid {SANDBOX_UID})"


# -- 4. Landlock ---------------------------------------------------------------------

_SYS_LANDLOCK = {"x86_64": (444, 445, 446), "aarch64": (444, 445, 446)}
FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
FS_ALL_V1 = (1 << 13) - 1
FS_REFER, FS_TRUNCATE, FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
NET_BIND_TCP, NET_CONNECT_TCP = 1, 2
SCOPE_ABSTRACT_UNIX, SCOPE_SIGNAL = 1, 2


def _landlock_abi() -> int:
    numbers = _SYS_LANDLOCK.get(platform.machine())
    if numbers is None:
        return 0
    version = _libc.syscall(numbers[0], None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    return max(int(version), 0)


def read_only_paths(extra: list[Path]) -> list[Path]:
    """The Python installation and system libraries: what a worker may read."""
    candidates = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix), Path(os.__file__).parent}
    candidates |= {Path(p) for p in sys.path if p and Path(p).is_dir()}
    candidates |= {Path(p) for p in ("/usr", "/lib", "/lib64", "/etc", "/proc", "/sys", "/opt")}
    candidates |= set(extra)
    return sorted({p.resolve() for p in candidates if p.exists()})


def apply_landlock(scratch: Path, readable: list[Path], forbidden: list[Path], allow_gpu: bool) -> str:
    abi = _landlock_abi()
    if abi < 1:
        return "unavailable (kernel without Landlock)"
    create, add_rule, restrict = _SYS_LANDLOCK[platform.machine()]
    handled_fs = FS_ALL_V1 | (FS_REFER if abi >= 2 else 0) | (FS_TRUNCATE if abi >= 3 else 0)
    handled_fs |= FS_IOCTL_DEV if abi >= 5 else 0
    handled_net = (NET_BIND_TCP | NET_CONNECT_TCP) if abi >= 4 else 0
    scoped = (SCOPE_ABSTRACT_UNIX | SCOPE_SIGNAL) if abi >= 6 else 0
    attr = struct.pack("QQQ", handled_fs, handled_net, scoped)
    size = 8 if abi < 4 else (16 if abi < 6 else 24)
    ruleset = _libc.syscall(create, ctypes.c_char_p(attr[:size]), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        return _error("landlock_create_ruleset")
    read = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR
    forbidden = [p.resolve() for p in forbidden]

    def allow(path: Path, access: int) -> None:
        if not path.is_dir() and access & ~(FS_EXECUTE | FS_READ_FILE | FS_WRITE_FILE | FS_TRUNCATE | FS_IOCTL_DEV):
            access &= FS_EXECUTE | FS_READ_FILE | FS_WRITE_FILE | FS_TRUNCATE | FS_IOCTL_DEV
        try:
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
        except OSError:
            return
        try:
            rule = struct.pack("=Qi", access & handled_fs, fd)
            _libc.syscall(add_rule, ctypes.c_int(ruleset), ctypes.c_int(1), ctypes.c_char_p(rule), ctypes.c_uint32(0))
        finally:
            os.close(fd)

    for path in readable:
        # A read rule on a folder that holds the course's secrets (e.g. a venv inside the
        # repository is fine, the repository itself is not) would expose them: skip it.
        if any(secret == path or secret.is_relative_to(path) for secret in forbidden):
            continue
        allow(path, read)
    allow(scratch, handled_fs)
    for device in ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random"):
        allow(Path(device), FS_READ_FILE | FS_WRITE_FILE)
    if allow_gpu:
        for device in Path("/dev").glob("nvidia*"):
            allow(device, FS_READ_FILE | FS_WRITE_FILE | FS_IOCTL_DEV)
        allow(Path("/dev/dri"), read | FS_WRITE_FILE | FS_IOCTL_DEV)
    _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    result = _libc.syscall(restrict, ctypes.c_int(ruleset), ctypes.c_uint32(0))
    os.close(ruleset)
    if result != 0:
        return _error("landlock_restrict_self")
    extras = (", no TCP" if handled_net else "") + (", no outside signals" if scoped else "")
    return f"active (ABI {abi}: read-only Python and system files, write to scratch only{extras})"


# -- 5. seccomp ------------------------------------------------------------------------

# x86_64 syscall numbers.
_NR = {
    "socket": 41, "clone": 56, "fork": 57, "vfork": 58, "execve": 59, "kill": 62, "ptrace": 101,
    "chroot": 161, "mount": 165, "umount2": 166, "pivot_root": 155, "tkill": 200, "tgkill": 234,
    "kexec_load": 246, "add_key": 248, "request_key": 249, "keyctl": 250, "unshare": 272,
    "perf_event_open": 298, "setns": 308, "process_vm_readv": 310, "process_vm_writev": 311,
    "bpf": 321, "execveat": 322, "userfaultfd": 323, "io_uring_setup": 425, "clone3": 435,
}  # fmt: skip
_DENY = ["fork", "vfork", "execve", "execveat", "ptrace", "chroot", "mount", "umount2", "pivot_root", "tkill",
         "kexec_load", "add_key", "request_key", "keyctl", "unshare", "perf_event_open", "setns",
         "process_vm_readv", "process_vm_writev", "bpf", "userfaultfd", "io_uring_setup"]  # fmt: skip
AUDIT_ARCH_X86_64 = 0xC000003E
CLONE_THREAD = 0x00010000
AF_UNIX = 1
SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO, SECCOMP_RET_KILL_PROCESS = 0x7FFF0000, 0x00050000, 0x80000000
BPF_LD_W_ABS, BPF_JEQ_K, BPF_JSET_K, BPF_RET_K = 0x20, 0x15, 0x45, 0x06
_OFF_NR, _OFF_ARCH, _OFF_ARG0 = 0, 4, 16


def _seccomp_program(own_pid: int) -> list[tuple[int, int, int, int]]:
    """A BPF filter: deny what a worker never needs, with EPERM (ENOSYS for clone3, so threads fall back to clone)."""
    deny = SECCOMP_RET_ERRNO | errno.EPERM
    prog = [
        (BPF_LD_W_ABS, 0, 0, _OFF_ARCH),
        (BPF_JEQ_K, 1, 0, AUDIT_ARCH_X86_64),
        (BPF_RET_K, 0, 0, SECCOMP_RET_KILL_PROCESS),
        (BPF_LD_W_ABS, 0, 0, _OFF_NR),
    ]
    for name in _DENY:
        prog += [(BPF_JEQ_K, 0, 1, _NR[name]), (BPF_RET_K, 0, 0, deny)]
    prog += [(BPF_JEQ_K, 0, 1, _NR["clone3"]), (BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | errno.ENOSYS)]
    # clone: only new threads (CLONE_THREAD set), never new processes.
    prog += [
        (BPF_JEQ_K, 0, 3, _NR["clone"]),
        (BPF_LD_W_ABS, 0, 0, _OFF_ARG0),
        (BPF_JSET_K, 0, 1, CLONE_THREAD),
        (BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW),
        (BPF_LD_W_ABS, 0, 0, _OFF_NR),
    ]
    prog += [(BPF_JEQ_K, 0, 1, _NR["clone"]), (BPF_RET_K, 0, 0, deny)]
    # socket: only AF_UNIX (no internet, raw or netlink sockets).
    prog += [
        (BPF_JEQ_K, 0, 4, _NR["socket"]),
        (BPF_LD_W_ABS, 0, 0, _OFF_ARG0),
        (BPF_JEQ_K, 0, 1, AF_UNIX),
        (BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW),
        (BPF_RET_K, 0, 0, deny),
    ]
    # kill and tgkill: only this process (or its own process group via 0).
    for name in ("kill", "tgkill"):
        prog += [
            (BPF_JEQ_K, 0, 5, _NR[name]),
            (BPF_LD_W_ABS, 0, 0, _OFF_ARG0),
            (BPF_JEQ_K, 2, 0, own_pid),
            (BPF_JEQ_K, 1, 0, 0),
            (BPF_RET_K, 0, 0, deny),
            (BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW),
        ]
    prog.append((BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW))
    return prog


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def apply_seccomp() -> str:
    if platform.machine() != "x86_64":
        return f"unavailable (filter written for x86_64, this is {platform.machine()})"
    program = _seccomp_program(os.getpid())
    raw = b"".join(struct.pack("HBBI", *instruction) for instruction in program)
    buffer = ctypes.create_string_buffer(raw)
    fprog = _SockFprog(len(program), ctypes.cast(buffer, ctypes.c_void_p))
    _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    if _libc.prctl(PR_SET_SECCOMP, 2, ctypes.byref(fprog), 0, 0) != 0:
        return _error("prctl(PR_SET_SECCOMP)")
    return "active (no fork/exec, no internet sockets, no ptrace, no signals to other processes)"

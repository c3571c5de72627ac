"""What a learner reads when something fails is written in one package, ``autograder/shared/hints/``.

Three proofs, both read from the source with ``ast``:

- Every call that builds a failure or a note (a verdict, a check's failure, a
  worker failure, an unpacking refusal, a worker's verdict reply, a skip, a note or a
  notebook problem appended to its list) anywhere in ``autograder/shared``,
  ``sandboxed`` and ``trusted`` passes its text as a value, never as a string
  literal or an f-string written at the call: the words come from ``hints/``.
  A kind name (``feedback.KINDS``) is data, not words, and is allowed. A
  planted literal is caught, and every builder is found at least once, so a
  rename cannot make the check pass by finding nothing.
- Every module of ``hints/`` imports only the standard library and its sibling
  modules (``autograder.shared.hints.<module>``), so both sides of the sandbox may
  import any of them.
- The package's ``__init__`` imports nothing, so re-exports nothing: a caller
  imports the module it needs (``from autograder.shared.hints import unpack as unpack_hints``).

Out of scope: the graded suites' own case names (``autograder/hidden``, the
public tests), which are the tests' words, and the renderers' headings.
"""

import ast
import sys

from autograder.shared.feedback import KINDS
from autograder.shared.paths import REPO_ROOT

SCANNED = ("autograder/shared", "autograder/sandboxed", "autograder/trusted")
HINTS = REPO_ROOT / "autograder" / "shared" / "hints"
HINT_MODULES = ("values", "checks", "verdicts", "worker", "probes", "grading", "unpack", "notebooks")
# Constructors and helpers whose text arguments a learner reads.
FAILURE_BUILDERS = frozenset(
    {
        "GradingFailure",
        "NotImplementedYet",
        "Unavailable",
        "ForbiddenCall",
        "WrongDevice",
        "BrokenContract",
        "WorkerFailure",
        "verdict_reply",
        "Refused",
        "TooBig",
        "TooMany",
        "Unsafe",
        "skip",  # pytest.skip: its reason is the summary of a skipped test
    }
)
# Lists a learner reads: a submission's notes, a notebook cell's problems.
NOTE_LISTS = ("notes", "problems")


def _is_written_text(node: ast.expr) -> bool:
    """A string literal (other than a kind name) or an f-string, alone or concatenated."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(node.value) and node.value not in KINDS
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_written_text(node.left) or _is_written_text(node.right)
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(_is_written_text(item) for item in node.elts)
    return False


def _builder(call: ast.Call) -> str:
    """The failure builder or note list ``call`` writes to, or ''."""
    function = call.func
    if isinstance(function, ast.Name) and function.id in FAILURE_BUILDERS:
        return function.id
    if isinstance(function, ast.Attribute):
        if function.attr in FAILURE_BUILDERS:
            return function.attr
        if function.attr in ("append", "insert", "extend"):
            owner = function.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if name in NOTE_LISTS:
                return f"{name}.{function.attr}"
    return ""


def written_texts(source: str, filename: str) -> tuple[list[str], set[str]]:
    """('file:line: call' for each builder given written text, every builder called) in ``source``."""
    found, used = [], set()
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        builder = _builder(node)
        if not builder:
            continue
        used.add(builder)
        arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
        if any(_is_written_text(argument) for argument in arguments):
            found.append(f"{filename}:{node.lineno}: {ast.unparse(node)[:120]}")
    return found, used


def _sources():
    for folder in SCANNED:
        for path in sorted((REPO_ROOT / folder).rglob("*.py")):
            if HINTS not in path.parents:
                yield path.relative_to(REPO_ROOT).as_posix(), path.read_text()


def test_failures_and_notes_take_their_words_from_hints():
    found, used = [], set()
    for filename, source in _sources():
        file_found, file_used = written_texts(source, filename)
        found += file_found
        used |= file_used
    assert not found, "learner-facing text written outside hints/:\n" + "\n".join(found)
    assert FAILURE_BUILDERS <= used, f"builders never called (renamed?): {sorted(FAILURE_BUILDERS - used)}"


def test_a_planted_literal_is_caught():
    planted = (
        'raise WorkerFailure(f"the worker closed while {what}")\n'
        'notes.append("refused x: a symbolic link")\n'
        'return verdict_reply("crash", "the request broke the protocol")\n'
    )
    found, _ = written_texts(planted, "planted.py")
    assert len(found) == 3, found
    allowed = (
        'raise WorkerFailure(worker_hints.BUDGET_SPENT, "timeout")\nnotes.append(unpack_hints.refused(where, why))\n'
    )
    assert written_texts(allowed, "allowed.py")[0] == []


def _imports(path) -> set[str]:
    """The modules ``path`` imports, as written ('' for a relative import)."""
    imported = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add("" if node.level else node.module)
    return imported


def test_hints_imports_only_the_standard_library_and_itself():
    modules = sorted(path.stem for path in HINTS.glob("*.py") if path.stem != "__init__")
    assert set(HINT_MODULES) <= set(modules), modules  # the proof below reads every module, none renamed away
    siblings = {f"autograder.shared.hints.{module}" for module in modules}
    for module in modules:
        imported = _imports(HINTS / f"{module}.py")
        foreign = {name for name in imported - siblings if name.split(".")[0] not in sys.stdlib_module_names}
        assert not foreign, f"hints/{module}.py imports {sorted(foreign)}"


def test_the_hints_package_re_exports_nothing():
    assert _imports(HINTS / "__init__.py") == set()

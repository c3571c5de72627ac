"""The words a learner reads when something fails: one function (or constant) per message, for both sides.

Shared by the trusted side (the checks, the pytest plugin, the worker session,
the unpacker, the orchestrator) and the sandboxed side (the loader's verdicts,
the worker, the probes, the device placement check), so it imports nothing but
the standard library. Detection stays where it happens: a site decides *that*
something failed and how, and calls the function here for *what the learner
reads*. A function returns the one text it writes (a summary, a note, a
reason), or a ``Hint`` when it writes several of a failure's fields (see
``feedback.py`` for what each field is and which suites show the values).
"""

from collections.abc import Iterable
from typing import NamedTuple


class Hint(NamedTuple):
    """A failure's texts: what failed, the likely cause, the evidence (``feedback.py``)."""

    summary: str
    cause: str = ""
    values: str = ""


class Mismatch(NamedTuple):
    """A check's failed property: its value-free name, what was expected, what came back, and the likely cause."""

    failed: str
    expected: str
    got: str
    cause: str = ""
    detail: str = ""


# -- describing values (both sides) ------------------------------------------------------------------------------------


def tensor_description(dtype: str, shape: tuple, device: str) -> str:
    """'float32 (4, 3) on cpu'."""
    return f"{dtype} {shape} on {device}"


def learner_line(file_name: str, line_number: int, code: str = "") -> str:
    """'linear.py line 27: return x @ W + b'."""
    return f"{file_name} line {line_number}" + (f": {code}" if code else "")


def at_learner_line(file_name: str, line_number: int, code: str = "") -> str:
    """' (at linear.py line 27: return x @ W + b)', appended to what raised."""
    return f" (at {learner_line(file_name, line_number, code)})"


def error_says(message: str) -> str:
    """The evidence an exception carries: its message (which may quote the test's inputs)."""
    return f"the error says: {message}"


# -- the checks on a learner's output (trusted harness: checks.py, plugin.py) ------------------------------------------


def check_summary(case: str, failed: str) -> str:
    """'softmax on large logits: wrong values': the case and the property that failed, never a value."""
    return f"{case}: {failed}" if failed else case


def check_values(inputs: str, expected: str, got: str, detail: str = "") -> str:
    """The evidence of a failed check: the inputs (described), what was expected and what came back."""
    lines = [f"input: {inputs}"] if inputs else []
    lines += [f"expected: {expected}", f"got: {got}"]
    if detail:
        lines.append(detail)
    return "\n".join(lines)


def not_a_tensor(expected: str, got: str, cause: str = "") -> Mismatch:
    return Mismatch("not a tensor", f"a tensor {expected}", got, cause or "return a torch.Tensor")


def wrong_shape(expected: tuple, got: tuple, cause: str = "") -> Mismatch:
    return Mismatch(
        "wrong shape",
        f"shape {expected}",
        f"shape {got}",
        cause or "check which dimension you reduce over and whether you kept it (keepdim)",
    )


def wrong_dtype(expected: object, got: object) -> Mismatch:
    return Mismatch(
        "wrong dtype",
        f"dtype {expected}",
        f"dtype {got}",
        "results must keep the input's dtype: avoid hard-coded dtype= and Python floats turned into new tensors",
    )


def tensor_on_wrong_device(expected: str, got: str) -> Mismatch:
    return Mismatch(
        "wrong device",
        f"a tensor on {expected}",
        f"a tensor on {got}",
        "create new tensors with device=<input>.device (or *_like) instead of the default device",
    )


def _expected_value(value: float, index: tuple, rtol: float, atol: float) -> str:
    return f"{value:.6g} at index {index} (tolerance rtol={rtol:g}, atol={atol:g})"


def _value_previews(expected: str, got: str) -> str:
    return f"expected values: {expected}\n     got values: {got}"


def wrong_values(
    expected: float,
    got: float,
    index: tuple,
    differing: int,
    entries: int,
    tolerance: tuple[float, float],
    previews: tuple[str, str],
    cause: str = "",
) -> Mismatch:
    """Values outside the tolerance (rtol, atol): the first one that differs, how many do, the first few of each."""
    return Mismatch(
        "wrong values",
        _expected_value(expected, index, *tolerance),
        f"{got:.6g} at index {index} ({differing} of {entries} entries differ)",
        cause,
        _value_previews(*previews),
    )


def non_finite_values(
    expected: float,
    got: float,
    index: tuple,
    tolerance: tuple[float, float],
    previews: tuple[str, str],
    cause: str = "",
) -> Mismatch:
    """A NaN or an infinity where the reference has a finite value."""
    return Mismatch(
        "non-finite values where finite ones belong",
        _expected_value(expected, index, *tolerance),
        f"{got} at index {index}: a non-finite value where a finite one belongs",
        cause,
        _value_previews(*previews),
    )


def modified_in_place(name: str) -> Mismatch:
    return Mismatch(
        f"modified its argument {name!r} in place",
        f"argument {name!r} left unchanged",
        f"{name!r} was modified in place",
        "use out-of-place operations (x - m, not x -= m / x.sub_(m)) on your inputs",
    )


NO_REFERENCE = "the reference solutions are not part of this release"  # why a hidden test is skipped


def device_unavailable(device: str) -> str:
    """Why a test of one device was skipped."""
    return f"{device} is not available on this machine"


def unusable_result(api: str, error_type: str, message: str) -> Hint:
    """The test itself raised on what the learner's code returned (plugin.py): not a check, a broken return."""
    return Hint(
        f"the test could not use what {api} returned ({error_type})",
        "check the return type and shape against the docstring",
        error_says(message),
    )


# -- verdicts on how the learner's code behaved (verdicts.py, loader.py) -----------------------------------------------


def not_implemented(api: str, file: str) -> Hint:
    return Hint(f"{api} is not implemented yet (still raises NotImplementedError in {file})")


def uses_not_implemented(api: str, raised_in: str) -> Hint:
    """``api`` itself runs, but calls a function of the learner's that is still a stub."""
    return Hint(f"{api} uses {raised_in}, which is not implemented yet (it raises NotImplementedError)")


def unavailable(api: str, reason: str) -> Hint:
    return Hint(f"{api} could not be loaded: {reason}")


def defines_no(file: str, api: str) -> str:
    """Why ``api`` is unavailable: its file loads but lacks the name."""
    return f"{file} defines no {api!r}"


def file_not_found(path: object) -> str:
    return f"file not found at {path}"


def import_raised(error_type: str, error: object, line: int | None = None) -> str:
    """Why a learner's file did not import (a syntax error names its line)."""
    where = f" (line {line})" if line is not None else ""
    return f"importing it raised {error_type}: {error}{where}"


def forbidden_call(api: str, part_number: int, calls: Iterable[str]) -> Hint:
    listed = ", ".join(sorted(calls))
    return Hint(
        f"{api} called {listed}, which Part {part_number} does not allow: the point of the "
        f"exercise is to write this computation yourself with tensor arithmetic "
        f"(see the handout's 'allowed and forbidden' section); this exercise earns no credit"
    )


def learner_raised(api: str, error_type: str, where: str, message: str) -> Hint:
    """The learner's code raised: the exception, the learner's own line (``where``), the message as evidence."""
    return Hint(f"{api} raised {error_type}{where}", values=error_says(message) if message else "")


def wrong_device(api: str, problem: str) -> Hint:
    """``problem`` is one of the placement sentences below (it already names its likely cause)."""
    return Hint(f"{api} {problem}")


# -- the sandboxed worker and the session that drives it (worker.py, remote/) ------------------------------------------


def request_broke_protocol(error: object) -> Hint:
    return Hint(f"the request broke the protocol ({error})")


def code_raised(error_type: str, message: str) -> Hint:
    """A request raised outside any guarded call (e.g. a bad attribute name on a learner object)."""
    return Hint(f"your code raised {error_type}", values=error_says(message))


def unsendable_result(error: object) -> Hint:
    return Hint("the result cannot be sent to the grader", values=str(error))


# What the worker was doing, in "the call timed out after 30 s while <doing>".
STARTING = "starting"
RERUNNING_NOTEBOOK = "running your notebook again after a restart"
RUNNING_CODE = "running your code"
IMPORTING_FILES = "importing your files"

TOO_MANY_RESTARTS = "the submission crashed its worker too many times; remaining tests are not run"
STOPPED_ACCEPTING = "the worker stopped accepting requests"
OVERSIZED_MESSAGE = "the worker sent an oversized message"
BUDGET_SPENT = "the submission used up its time budget; remaining tests are not run"
OBJECT_LOST = "this object was lost when an earlier failure restarted the worker"
WORKER_STOPPED = "it was stopped"  # how a worker that timed out ended: the session killed it
STOPPED_ANSWERING = "it stopped answering"
UNSTATED_FAILURE = "failed"  # the summary of a worker's verdict that came without one
_SIGNAL_MEANINGS = {"SIGSEGV": "a segfault", "SIGKILL": "killed (memory or CPU limit?)", "SIGXCPU": "CPU time limit"}


def call_timed_out(seconds: float, doing: str) -> str:
    return f"the call timed out after {seconds:g} s while {doing} (an endless loop?)"


def worker_closed(doing: str) -> str:
    return f"the worker closed while {doing}"


def worker_broke_protocol(error: object) -> str:
    return f"the worker broke the protocol ({error})"


def given_up(api: str, failures: int) -> str:
    """``api`` is not called again: it already hung or crashed the worker this many times."""
    return f"not run: {api} already hung or crashed the worker {failures} times"


def died_from_signal(name: str) -> str:
    """'it died from SIGSEGV (a segfault)': ``name`` is the signal's name, or 'signal N' for an unknown one."""
    return f"it died from {name} ({_SIGNAL_MEANINGS.get(name, 'a signal')})"


def exited_with(code: int) -> str:
    return f"it exited with status {code} (os._exit or sys.exit at import?)"


def worker_failed(why: str, how_it_ended: str) -> str:
    """'the worker closed while running your code; it died from SIGKILL (...)'."""
    return f"{why}; {how_it_ended}"


# -- probes, test models and the device check (probes/*.py, lm_models.py, placement.py, device_check.py) ---------------


def model_wants_token_ids(got: str) -> str:
    """A Part 4 test model was called with something else than a (B, T) int64 tensor (``got`` describes it)."""
    return f"a model takes (B, T) int64 token ids, got {got}"


def model_needs_tokens(shape: tuple) -> str:
    return f"a model needs at least one row and one token, got shape {shape}"


def model_context_exceeded(context: int, tokens: int) -> str:
    return f"this model sees at most max_len={context} tokens, it was given {tokens}"


def token_ids_out_of_range(vocab_size: int) -> str:
    return f"token ids must lie in [0, {vocab_size})"


def parameter_count(expected: int, layers: int, got: int) -> str:
    return f"expected {expected} tensors for {layers} Linear layers, got {got}"


def state_dict_keys(missing: list[str], extra: list[str]) -> str:
    """A module's state_dict keys, said in the contract's terms before load_state_dict says it in its own."""
    return (
        f"its state_dict keys must be the contract's: missing {', '.join(missing) or 'none'}; "
        f"not in the contract {', '.join(extra) or 'none'}"
    )


SIMULATED_GPU = "a simulated GPU"  # how the simulated accelerator of a device check is named
MAKE_ON_DEVICE = (
    "a tensor made without the inputs' device; pass device=<input>.device (or use torch.zeros_like and friends)"
)
KEEP_IN_TORCH = "keep the computation in tensor operations"
OUTSIDE_LEARNER_CODE = "outside your code"
NOT_MADE_HERE = "made before this call: a plain tensor attribute? register_buffer it, so that .to(device) moves it"


def reached_from(line: str, function: str, outer_line: str) -> str:
    """The learner's innermost line, in a helper, and the outermost one that called it."""
    return f"{line} (in {function}, reached from {outer_line})"


def made_by(call: str, where: str) -> str:
    """Where a tensor off the device was made."""
    return f"made by {call} at {where}"


def named_tensor(name: str = "", derived: bool = False, description: str = "") -> str:
    """'`mask` (bool (5, 5) on cpu)', 'a tensor computed from `mask` (...)', or 'a tensor (...)'."""
    if not name:
        named = "a tensor"
    else:
        named = f"a tensor computed from `{name}`" if derived else f"`{name}`"
    return f"{named} ({description})" if description else named


def hands_to_numpy(tensor: str, call: str, where: str) -> str:
    return (
        f"hands {tensor} to NumPy ({call})\n  at {where}\n"
        f"likely cause: NumPy arrays live on the CPU only; {KEEP_IN_TORCH}"
    )


def reads_values_back(tensor: str, call: str, where: str) -> str:
    return (
        f"reads the values of {tensor} back into Python ({call})\n"
        f"  at {where}\nlikely cause: on a GPU that copies them to the CPU, and a tensor made from "
        f"them lands there; {KEEP_IN_TORCH}"
    )


def mixes_devices_in(call: str, where: str) -> str:
    """Devices were mixed, and no tensor off the device could be named."""
    return f"mixes devices in {call}\n  at {where}\nlikely cause: {MAKE_ON_DEVICE}"


def mixes_devices(tensor: str, device: str, origin: str, call: str, met: str, where: str) -> str:
    """``tensor`` is not on ``device``; ``met`` describes the on-device tensor it met in ``call`` ('' if none)."""
    met_text = f" with {met}" if met else ""
    return (
        f"mixes devices: {tensor} is not on the inputs' device ({device})\n  {origin}\n"
        f"  used by {call}{met_text} at {where}\nlikely cause: {MAKE_ON_DEVICE}"
    )


def mixes_two_devices(raised: str) -> str:
    """Torch's own device-mismatch error, on a real GPU outside any device check."""
    return f"mixes tensors of two devices: {raised}\nlikely cause: {MAKE_ON_DEVICE}"


def raised_on_device(device: str, what: str) -> str:
    return f"works on the CPU but raised on {device}: {what}"


def returns_off_device(path: str, device: str, inputs_device: str, origin: str = "") -> str:
    return (
        f"returns `{path}` on {device} while its inputs are on {inputs_device}\n"
        + (f"  {origin}\n" if origin else "")
        + f"likely cause: {MAKE_ON_DEVICE}"
    )


def device_check_unreadable(api: str, device: str) -> str:
    return f"{api} on {device}: the device check sent back no readable answer"


def differs_from_cpu(api: str, device: str, expected: str, got: str) -> str:
    return (
        f"{api} on {device} returns something else than on the CPU\n"
        f"expected (as on the CPU): {expected}\n"
        f"got: {got}\n"
        "likely cause: a dtype or shape that depends on the device, e.g. a tensor made with a default dtype"
    )


# -- grading one submission (grade_one.py) -----------------------------------------------------------------------------

DID_NOT_RUN = "this test did not run for this submission"
NO_COURSE_FILE = "no course file found"


def not_graded(reason: str) -> str:
    """Every test of a refused submission says this."""
    return f"not graded: {reason}"


def printed_while_importing(output: str) -> str:
    return "your files printed while being imported:\n" + output


def importing_failed(summary: str) -> str:
    """The worker failed (timed out, crashed) while importing the submission's files."""
    return f"importing your files failed: {summary}"


def importing_raised(failure: object) -> str:
    """A verdict (or any error) while importing the submission's files: reported, grading goes on."""
    return f"importing your files: {failure}"


# -- unpacking what an instructor hands the grader (unpack/): notes and refusals ---------------------------------------


def refused(where: str, reason: str) -> str:
    """A note (or a submission's error) for one entry that is not read."""
    return f"refused {where}: {reason}"


def refused_submission(problem: str) -> str:
    """A whole submission (or export) that is not read."""
    return f"refused: {problem}"


NO_COURSE_FILES = "no course files found (expected files such as linear.py, or a notebook)"

# Why one entry is refused.
SYMBOLIC_LINK = "a symbolic link (links are never followed)"
HARD_LINK = "a hard link to another file"
ONLY_ZIPS = "only .zip archives are opened"
ZIP_IN_ZIP_IN_ZIP = "a zip inside a zip inside a zip is not opened"
DUPLICATE_ENTRY = "a duplicate entry"
ABSOLUTE_PATH = "an absolute path"
CLIMBS_OUT = "a path that climbs out of the archive (..)"
EMPTY_NAME = "an empty name"
CONTROL_CHARACTERS = "a name with control characters"
ENCRYPTED = "encrypted"
BINARY_CONTENT = "binary content, not Python source"
NO_END_RECORD = "no end of central directory record"


def cannot_stat(error: str) -> str:
    return f"cannot stat ({error})"


def not_regular_file(kind: str) -> str:
    """``kind`` is 'a fifo', 'a socket', 'a device' ..."""
    return f"not a regular file ({kind})"


def cannot_open_safely(reason: str) -> str:
    return f"cannot be opened safely ({reason})"


def over_byte_limit(size: int, limit: int) -> str:
    return f"{size} bytes, over the {limit} byte limit"


def uncompressed_over_limit(size: int, limit: int) -> str:
    return f"{size} bytes uncompressed, over the {limit} byte limit"


def read_over_limit(limit: int) -> str:
    """More bytes came than the size a header or stat claimed."""
    return f"more than the {limit} byte limit"


def zip_bomb(max_ratio: float) -> str:
    return f"compression ratio over {max_ratio:g} (a zip bomb?)"


def unreadable(problem: object) -> str:
    return f"unreadable ({problem})"


def not_utf8(byte: int) -> str:
    return f"not UTF-8 text (byte {byte})"


def folder_too_deep(depth: int) -> str:
    return f"folders nested over {depth} deep"


# Why a whole submission is refused.


def not_a_readable_zip(where: str, problem: object) -> str:
    return f"{where} is not a readable zip archive ({problem})"


def zip_entries_over_limit(where: str, entries: int, limit: int) -> str:
    return f"{where} has {entries} entries, over the limit of {limit}"


def end_record_entries_over_limit(entries: int, limit: int) -> str:
    return f"{entries} entries, over the limit of {limit}"


def central_directory_too_big(size: int, limit: int) -> str:
    return f"a {size} byte central directory, too big for {limit} entries"


def cannot_open_folder(where: str, error: str) -> str:
    return f"cannot open folder {where}: {error}"


def folder_entries_over_limit(limit: int, where: str) -> str:
    return f"more than {limit} entries in {where}"


def files_over_limit(limit: int) -> str:
    return f"more than {limit} files"


def bytes_over_limit(limit: int) -> str:
    return f"more than {limit} bytes uncompressed in all"


def export_over_limit(name: str, limit: int) -> str:
    return f"{name} is over {limit} bytes"


def about(subject: str, text: str) -> str:
    """'<subject>: <text>': a problem said with what it is about (an archive entry, a file, a notebook cell)."""
    return f"{subject}: {text}"


# What was left out, and which upload was used.


def ignored_files(count: int, shown: str) -> str:
    files = "file that is not a course file" if count == 1 else "files that are not course files"
    return f"ignored {count} {files}: {shown}"


def more_not_shown(count: int) -> str:
    """Appended to a list cut short."""
    return f" and {count} more"


def ignored_hidden(count: int) -> str:
    return f"ignored {count} hidden or system entries (dotfiles, __MACOSX, __pycache__)"


def used_latest(label: str, chosen: str, candidates: int, others: str) -> str:
    """Several uploads of one file: the most recent is graded."""
    return f"{label}: used {chosen}, the most recent of {candidates} candidates (not {others})"


def chosen_upload_refused(course_path: str) -> str:
    return f"{course_path}: the chosen upload was refused, so the file is missing"


def notebook_label(stem: str) -> str:
    """How a notebook's uploads are named in ``used_latest``."""
    return f"notebook {stem}"


def notebook_defines_nothing(where: str) -> str:
    return f"{where}: ignored, it defines none of the course's function or class names"


def notebook_not_used(where: str, folder: str) -> str:
    return f"{where}: not used for {folder}, every {folder} file was submitted as .py"


def notebook_graded_for(where: str, folder: str, stems: list[str]) -> str:
    return f"{where}: graded cell by cell for {folder} ({', '.join(stems)})"


def py_files_win(where: str, stems: list[str]) -> str:
    return f"{where}: the .py files win over the notebook for {', '.join(stems)}"


# -- notebooks: converting them (notebooks.py), running them cell by cell (cells.py), the notes (notebook_load.py) -----


def cell_label(notebook: str, number: int) -> str:
    """'model.ipynb cell 3': how a cell is named in notes and in the learner's tracebacks."""
    return f"{notebook} cell {number}"


def notebook_file_label(notebook: str) -> str:
    """How a notebook standing in for a course file is named ('model.ipynb (notebook) defines no ...')."""
    return f"{notebook} (notebook)"


def notebook_too_big(name: str, size: int, limit: int) -> str:
    return f"{name}: refused, {size} bytes is over the {limit} byte limit for notebooks"


def unreadable_notebook(name: str, problem: object) -> str:
    return f"{name}: not a readable notebook ({problem})"


def notebook_has_nul(name: str) -> str:
    return f"{name}: refused, its code contains NUL characters"


# Why a notebook's JSON is not readable (in ``unreadable_notebook``).


JSON_TOO_DEEP = "JSON nested too deeply"
NOT_A_JSON_OBJECT = "the top level is not a JSON object"
WORKSHEETS_NOT_OBJECTS = "'worksheets' is not a list of objects"


def notebook_not_utf8(byte: int) -> str:
    return f"not UTF-8 at byte {byte}"


def invalid_json(problem: object) -> str:
    return f"invalid JSON: {problem}"


def unsupported_nbformat(version: object) -> str:
    return f"unsupported nbformat {version!r}"


def cell_not_an_object(number: int) -> str:
    return f"cell {number} is not an object"


def cell_without_type(number: int) -> str:
    return f"cell {number} has no cell_type string"


def not_a_list(what: str) -> str:
    return f"{what!r} is not a list"


def cell_source_malformed(number: int) -> str:
    return f"cell {number} has a source that is neither a string nor a list of strings"


# What converting a cell left out or changed.
IPYTHON_LINE_LEFT_OUT = "an IPython-only line left out"  # counted, then said once per notebook


def ipython_lines_left_out(name: str, count: int) -> str:
    return f"{name}: left out {count} IPython-only lines (such as %matplotlib inline)"


def writefile_run_as_cell(file: str) -> str:
    return f"ran the code of %%writefile {file} as a cell (no file is written)"


def cell_magic_not_run(magic: str) -> str:
    return f"a %%{magic} cell, which the grader does not run"


def shell_command_not_run(shown: str) -> str:
    return f"shell command not run: {shown}"


def needs_ipython(shown: str) -> str:
    """The error a line assigned from a magic or shell command raises when its cell runs."""
    return f"{shown!r} needs IPython (the output of a magic or shell command)"


def magic_not_run(name: str) -> str:
    """The error a line magic the grader cannot run raises when its cell runs."""
    return f"%{name} is a magic the grader does not run"


# What running a cell met, statement by statement.


def cell_not_compiled(error_type: str, message: object, line: int | None = None) -> str:
    where = f" (line {line})" if line is not None else ""
    return f"{error_type}: {message}{where}; the cell was not run"


def statement_skipped(line: int) -> str:
    return f"line {line}: not run, it ended the grader's worker when it ran before"


def definitions_out_of_time(line: int, seconds: float) -> str:
    return f"line {line}: not run, definitions took their {seconds:g} s"


def definition_too_slow(line: int, seconds: float) -> str:
    return f"line {line}: stopped, a definition may take {seconds:.3g} s at most"


def top_level_budget_ran_out(line: int, budget: float) -> str:
    return (
        f"line {line}: stopped, the notebook's {budget:g} s budget for top-level work "
        "(training, plots, prints) ran out here; its definitions, and later cells', were still made"
    )


def stopped_after(line: int, seconds: float) -> str:
    return f"line {line}: stopped after {seconds:.3g} s (the budget was spent)"


def statement_raised(line: int, error_type: str, message: str, read_input: bool = False) -> str:
    """``read_input``: the statement called input(), which gets no answer in the grader."""
    hint = " (input() gets no answer in the grader)" if read_input else ""
    return f"line {line}: {error_type}: {message}{hint}".rstrip(": ")


def import_went_on(raised: str) -> str:
    """An import statement raised: the cell goes on without it."""
    return f"{raised}; the grader lacks it, the cell went on"


def rest_of_cell_not_run(raised: str) -> str:
    return f"{raised}; the rest of the cell was not run"


# What grading a notebook came to (the notes of notebook_load.py).


def notebook_not_graded(name: str, times: int) -> str:
    return f"{name}: not graded, it ended the grader's worker {times} times"


def running_the_notebook(times: int) -> str:
    """Appended to the summary of the worker failure that ended the notebook's last run."""
    return f" (running the notebook, {times} times)"


def statement_left_out(cell: str, statement: int, failure: str) -> str:
    """``cell`` is a ``cell_label``; ``statement`` counts from 1."""
    return (
        f"{cell}: statement {statement} of the cell ended the grader's worker "
        f"({failure}); it was left out and the notebook was run again"
    )


def stand_ins_used(modules: str, tqdm: bool) -> str:
    """Display-only modules the grader lacks were replaced by stand-ins that show nothing."""
    passes = " (tqdm's progress bars pass their items through)" if tqdm else ""
    return f"the grader has no {modules}: stand-ins that show nothing were used{passes}"


def top_level_work_skipped(name: str, budget: float, cells: str) -> str:
    return (
        f"{name}: the {budget:g} s budget for top-level work was spent, so the top-level work of cells "
        f"{cells} was not run (their definitions were made and graded)"
    )


def ran_cells(name: str, cells: int, failed: int) -> str:
    summary = f"{name}: ran {cells} code cells in order"
    return summary + (f"; {failed} had problems (listed below), the others were graded" if failed else "")

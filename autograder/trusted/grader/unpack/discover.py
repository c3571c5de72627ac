"""The class level: tell a folder of submissions, an LMS bulk download and one learner's files apart.

``discover`` is the entry point: a folder or a zip in, one ``Submission`` per
learner out, with ids made unique and filesystem-safe. Trusted side.
"""

import logging
from pathlib import Path

from autograder.shared.hints import unpack as unpack_hints
from autograder.trusted.grader.unpack.names import (
    COURSE_PATHS,
    LMS_PATTERNS,
    OTHER_ARCHIVES,
    PART_FOLDER,
    LmsPatterns,
    course_name,
    is_clutter,
    learner_id,
    lms_key,
    unique_ids,
)
from autograder.trusted.grader.unpack.submission import ArchiveLimits, Submission, Unsafe
from autograder.trusted.grader.unpack.views import Dir, File, Node, open_folder, printable
from autograder.trusted.grader.unpack.walk import read_submission
from autograder.trusted.grader.unpack.zips import open_zip

log = logging.getLogger(__name__)


def discover(
    path: Path,
    limits: ArchiveLimits = ArchiveLimits(),  # noqa: B008 (frozen, so one shared default is safe)
    patterns: LmsPatterns = LMS_PATTERNS,
) -> list[Submission]:
    """Every submission in ``path``: a folder of submissions, an LMS bulk download, or a zip of either."""
    path = Path(path).resolve()  # the instructor's own path: following links here is fine
    try:
        if path.is_dir():
            submissions = _classify(open_folder(path, (), printable(path.name)), limits, patterns, zip_depth=0)
        elif path.is_file() and path.suffix.lower() == ".zip":
            if path.stat().st_size > limits.max_export_bytes:
                raise Unsafe(unpack_hints.export_over_limit(path.name, limits.max_export_bytes))
            with open(path, "rb") as handle:
                root = open_zip(handle, path.stem, printable(path.name), limits.max_export_entries, limits)
                submissions = _classify(root, limits, patterns, zip_depth=1)
        else:
            raise ValueError(f"{path} is neither a folder nor a .zip file")
    except Unsafe as problem:
        submissions = [Submission(path.stem, {}, [], error=unpack_hints.refused_submission(str(problem)))]
    return unique_ids(sorted(submissions, key=lambda s: s.id.lower()))


def _visible(directory: Dir, limits: ArchiveLimits) -> list[Node]:
    return [node for node in directory.entries(limits.max_export_entries) if not is_clutter(node.name)]


def _classify(root: Dir, limits: ArchiveLimits, patterns: LmsPatterns, zip_depth: int) -> list[Submission]:
    entries = _visible(root, limits)
    for _ in range(limits.max_folder_depth):  # a zip of the class folder wraps everything in one folder
        if len(entries) != 1 or not isinstance(entries[0], Dir) or not _looks_like_class(entries[0], limits, patterns):
            break
        root = entries[0]
        entries = _visible(root, limits)
    learners: dict[tuple[str, str], tuple[dict[str, str], str, list[Node]]] = {}
    others: list[Node] = []
    for node in entries:
        key = lms_key(node, patterns)
        if key is None:
            others.append(node)
        else:
            lms, raw_id = key
            learners.setdefault((lms["lms"], learner_id(lms)), (lms, raw_id, []))[2].append(node)
    if not learners and _is_one_submission(others, patterns):
        return [read_submission(root.name, entries, limits, patterns, zip_depth)]
    submissions = [
        read_submission(raw_id, nodes, limits, patterns, zip_depth, lms) for lms, raw_id, nodes in learners.values()
    ]
    for node in others:
        submissions.extend(_top_level_entry(node, limits, patterns, zip_depth))
    return submissions


def _is_one_submission(entries: list[Node], patterns: LmsPatterns) -> bool:
    """Loose course files or partN folders at the top mean the folder itself is one learner's submission."""
    for node in entries:
        if isinstance(node, Dir) and PART_FOLDER.match(node.name):
            return True
        if isinstance(node, File) and not node.refused:
            stem, extension, _ = course_name(node.name, patterns)
            if extension == "py" and stem in COURSE_PATHS:
                return True
    containers = [n for n in entries if isinstance(n, Dir) or n.name.lower().endswith((".zip", *OTHER_ARCHIVES))]
    notebooks_here = [n for n in entries if isinstance(n, File) and n.name.lower().endswith(".ipynb")]
    return bool(notebooks_here) and not containers


def _looks_like_class(directory: Dir, limits: ArchiveLimits, patterns: LmsPatterns) -> bool:
    entries = _visible(directory, limits)
    if any(lms_key(node, patterns) for node in entries):
        return True
    if _is_one_submission(entries, patterns):
        return False
    containers = [n for n in entries if isinstance(n, Dir) or n.name.lower().endswith(".zip")]
    return len(containers) >= 2


def _top_level_entry(node: Node, limits: ArchiveLimits, patterns: LmsPatterns, zip_depth: int) -> list[Submission]:
    """One entry of a folder of submissions: a learner's folder or zip, or something to report."""
    name = node.name
    if isinstance(node, Dir):
        return [read_submission(name, [node], limits, patterns, zip_depth)]
    if node.refused:
        return [Submission(name, {}, [], error=unpack_hints.refused(node.where, node.refused))]
    lowered = name.lower()
    if lowered.endswith(".zip"):
        return [read_submission(name[: -len(".zip")], [node], limits, patterns, zip_depth)]
    if lowered.endswith(OTHER_ARCHIVES):
        return [Submission(name, {}, [], error=unpack_hints.refused(node.where, unpack_hints.ONLY_ZIPS))]
    log.warning("unpack: ignored %s: not a submission folder, a .zip or an LMS download file", node.where)
    return []

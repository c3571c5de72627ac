"""Turning what an instructor hands the grader into clean submissions, without trusting a byte of it.

``discover`` accepts a folder of submissions (sub-folders or zips), a Canvas or
Moodle bulk download (flat, as a folder or a zip), or one zip holding either.
It returns, for each learner, the course files found by name (``part1/linear.py``
...) as text, and notes on everything it ignored or refused and why.

Nothing here runs learner code, and nothing is extracted to disk: archives are
read entry by entry into memory, with a cap on every size that matters, and
folders are read with ``O_NOFOLLOW`` one directory descriptor at a time. So an
entry named ``../../x.py`` or a symlink to ``/etc/passwd`` cannot reach anything
outside the submission; it is refused and reported. Only names that are course
files come out (a smuggled ``conftest.py`` or ``sitecustomize.py`` never does),
and their paths are built here from ``PARTS``, never taken from the archive.

The package, one concept per file: ``submission`` (what comes out, the caps,
refusals), ``views`` (folders read without following links), ``zips`` (the same
view of an archive), ``names`` (course files, LMS prefixes, re-uploads),
``walk`` (one learner's files), ``notebook_parts`` (which notebook serves which
part) and ``discover`` (the class level, the entry point).
"""

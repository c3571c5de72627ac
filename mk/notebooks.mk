# Learner notebooks, nbgrader and otter-grader (autograder/build/{notebooks,nbgrader_course,otter_assign}.py).
# The instructor tools (nbgrader, otter-grader, jupytext, nbclient, ipykernel, matplotlib) go into the same venv
# from requirements/instructor.txt, never into a learner's `make install`.

INSTRUCTOR_STAMP := $(VENV)/.instructor-installed
CHECK_DEPS += $(INSTRUCTOR_STAMP)

.PHONY: instructor notebooks notebooks-run nbgrader otter help-notebooks

help-notebooks:
	@echo "make instructor  install the instructor tools (nbgrader, otter-grader, nbclient, matplotlib) into .venv"
	@echo "make notebooks   regenerate notebooks/partN.ipynb; make notebooks-run executes them against solutions/"
	@echo "make nbgrader    PART=1: nbgrader course, generate_assignment, zip_collect, sandboxed grading, gradebook"
	@echo "make otter       PART=1: otter assign, then otter run on the solution and the student notebook"

instructor: $(INSTRUCTOR_STAMP)

$(INSTRUCTOR_STAMP): requirements/instructor.txt | $(STAMP)
	$(PY) -m pip install --quiet -r requirements/instructor.txt
	touch $(INSTRUCTOR_STAMP)

# Regenerate notebooks/partN.ipynb from autograder/build/notebooks.py (make check fails when they drift).
notebooks: $(STAMP)
	$(PY) -m autograder.build.notebooks

# Run every learner notebook headless against solutions/.
notebooks-run: $(INSTRUCTOR_STAMP)
	$(PY) -m autograder.build.notebooks --execute

# dist/nbgrader: the course directory, a released part, an example class collected from an LMS zip,
# graded in the sandbox, scores written to gradebook.db and exported to grades.csv (NBGRADER_ARGS=--api softmax).
nbgrader: $(INSTRUCTOR_STAMP)
	$(PY) -m autograder.build.nbgrader_course roundtrip --part $(or $(PART),1) $(NBGRADER_ARGS)

# dist/otter: master notebook, `otter assign`, then `otter run` on the solution and on the student notebook.
otter: $(INSTRUCTOR_STAMP)
	$(PY) -m autograder.build.otter_assign roundtrip --part $(or $(PART),1) $(OTTER_ARGS)

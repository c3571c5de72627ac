# Shipping the course: the learner release and the Gradescope bundle (included by the main Makefile).
#
#   make release       dist/student/: stubs, handouts, public tests, harness, learner Makefile/README/workflow;
#                      fails if any line of a reference solution or any hidden test got in
#   make autograder    dist/autograder.zip for Gradescope (and dist/autograder/, the same tree, for docker build)
#                      PART=1 (or PART=1,2) bundles some parts; TIME_LIMIT=seconds matches a raised timeout;
#                      HIDDEN_VISIBILITY=after_due_date (or hidden, after_published) hides the hidden tests' results;
#                      OFFLINE=1 adds wheels/ (torch, numpy, pytest and their dependencies): setup.sh asks no index

TIME_LIMIT ?=
HIDDEN_VISIBILITY ?=
OFFLINE ?=
comma := ,
AUTOGRADER_ARGS = $(foreach n,$(subst $(comma), ,$(PART)),--part $(n)) $(if $(TIME_LIMIT),--time-limit $(TIME_LIMIT))
AUTOGRADER_ARGS += $(if $(HIDDEN_VISIBILITY),--hidden-visibility $(HIDDEN_VISIBILITY)) $(if $(OFFLINE),--offline)

.PHONY: release autograder help-shipping

release: $(STAMP)
	$(PY) -m autograder.build.release --out dist/student

autograder: $(STAMP)
	$(PY) -m autograder.build.gradescope --out dist $(AUTOGRADER_ARGS)

help-shipping:
	@echo "make release     write dist/student/, the learner release, checked for solution and hidden-test leaks"
	@echo "make autograder  write dist/autograder.zip for Gradescope (PART=1 or PART=1,2; TIME_LIMIT=seconds;"
	@echo "                 HIDDEN_VISIBILITY=after_due_date; OFFLINE=1)"
	@echo "make check-lms   as root: setup.sh on the system Python, the Docker image, every sandbox layer (3 to 11 min here)"

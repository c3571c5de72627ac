# Shipping the course: the learner release and the Gradescope bundle (included by the main Makefile).
#
#   make release       dist/student/: stubs, handouts, public tests, harness, learner Makefile/README/workflow
#   make autograder    dist/autograder.zip for Gradescope (and dist/autograder/, the same tree, for docker build)
#                      PARTS=1 bundles one part; TIME_LIMIT=... matches the assignment's Gradescope timeout

PARTS ?=
TIME_LIMIT ?=
AUTOGRADER_ARGS = $(foreach n,$(subst $(comma), ,$(PARTS)),--part $(n)) $(if $(TIME_LIMIT),--time-limit $(TIME_LIMIT))
comma := ,

.PHONY: release autograder help-shipping

release: $(STAMP)
	$(PY) -m autograder.build.release --out dist/student

autograder: $(STAMP)
	$(PY) -m autograder.build.gradescope --out dist $(AUTOGRADER_ARGS)

help-shipping:
	@echo "make release   write dist/student/, the learner release, and check it holds no solution or hidden test"
	@echo "make autograder  write dist/autograder.zip for Gradescope (PARTS=1,2 to bundle some parts; TIME_LIMIT=s)"

help: help-shipping

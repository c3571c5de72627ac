# The class report's instructor extras (autograder/trusted/report/{similarity,browser}.py; included by the main Makefile).
#
#   make demo      also compares the demo class's code (copydetect, one package from requirements/instructor.txt,
#                  installed on first use) and screenshots report.html and similarity.html with headless Chromium
#   make browser   installs Debian's chromium when it is missing and this machine can (root with apt-get);
#                  `make check` runs it first, and its browser tests say why they skip where it cannot

SIMILARITY_STAMP := $(VENV)/.similarity-installed
DEMO_DEPS += $(SIMILARITY_STAMP)
CHECK_DEPS += browser

.PHONY: browser help-report

$(SIMILARITY_STAMP): requirements/instructor.txt | $(STAMP)
	$(PY) -m pip install --quiet "$$(grep -E '^copydetect' requirements/instructor.txt)" && touch $(SIMILARITY_STAMP) \
	  || echo "copydetect could not be installed: the demo runs, and its similarity.html says why it is empty"

browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium for the report's browser checks (apt-get install -y chromium)"; \
	    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; } >/dev/null \
	      || echo "chromium could not be installed: the browser checks will skip"; \
	  else \
	    echo "chromium is missing and cannot be installed here (needs root and apt-get): the browser checks will skip"; \
	  fi; }

help-report:
	@echo "make browser    install Debian's chromium (headless) for the report's browser checks, when missing"

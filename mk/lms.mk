# The LMS path run for real (included by the main Makefile): `make check-lms`, as root, after `make check`.
#
#   make check-lms     setup.sh on the system Python into /opt, offline from the bundle's wheels; run_autograder
#                      grades the reference, the stubs and the hostile example with every sandbox layer; then an
#                      own dockerd builds the image on a debootstrapped Debian base and grades through docker run.
#                      Installs what it needs with apt-get; each step's wall time goes to dist/check-lms/times.txt.

.PHONY: check-lms

check-lms: $(STAMP)
	$(PY) tests/lms/check_lms.py

# `make run` and `make test` work on a fresh machine with Python 3.11 and make:
# no PostgreSQL, Redis or Docker needed (SQLite, eager Celery, console email).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements-dev.lock | cksum | cut -d' ' -f1)
# pip-compile from pip-tools, resolving against the package index alone: this
# machine's pip configuration (local wheel folders, constraints) stays out of the lock.
COMPILE := env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null $(BIN)/pip-compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras

# Settings for the test run; DATABASE_URL and REDIS_URL pass through from the caller.
# Test processes side by side (pytest-xdist): most tests wait on PostgreSQL, a worker
# or a browser, so more than one per core pays. TEST_PROCESSES=0 runs in this process.
TEST_PROCESSES ?= 2
TEST_ENV := SECRET_KEY=test-only-secret-key-not-used-anywhere-else-0123456789 \
	ALLOWED_HOSTS=testserver,localhost,127.0.0.1 DEBUG=false SECURE_SSL_REDIRECT=false \
	CELERY_TASK_ALWAYS_EAGER=true EMAIL_URL=memorymail://

.PHONY: install lock run test lint migrations-check messages clean

# Exactly the lockfile: every package, indirect ones too, pinned with its hashes.
$(STAMP): requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

# After changing the dependencies in pyproject.toml: the image's lock (requirements.lock)
# and the one with the dev tools (requirements-dev.lock), with the same versions.
lock: install
	$(COMPILE) --extra dev -o requirements-dev.lock pyproject.toml
	cp requirements-dev.lock requirements.lock
	$(COMPILE) -o requirements.lock pyproject.toml

run: install
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py seed_demo
	@echo "Serving the INPUD portal on http://127.0.0.1:8000 (Ctrl-C to stop)"
	DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(TEST_ENV) $(BIN)/pytest -n $(TEST_PROCESSES) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

migrations-check: install
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

# Needs GNU gettext (msgfmt); the compiled catalogues are committed.
messages: install
	DEBUG=true $(BIN)/python manage.py makemessages --all --no-obsolete --no-location --ignore=.venv --ignore=staticfiles --ignore=node_modules
	DEBUG=true $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

# Two commands do everything: `make run` (site with demo data) and `make test` (whole suite).
# Both install exactly the versions in the lock files (requirements/*.txt, with hashes); `make lock`
# re-resolves them from pyproject.toml.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

BACKUP ?= var/backups/meetup-$(shell date -u +%Y%m%dT%H%M%SZ).dump
COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras \
	--no-emit-find-links --no-emit-index-url --unsafe-package meetup

.PHONY: run test assets translations messages bench lint audit lock backup restore clean

$(VENV)/.installed: requirements/base.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements/base.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements/dev.txt
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@

# Re-resolve the lock files from pyproject.toml, every dependency to its newest allowed release:
# dev.txt (make test, CI: torch's CPU build), base.txt (make run, the image: its versions from
# dev.txt) and gpu.txt (the gpu worker's image: torch with CUDA from PyPI, the rest as base.txt, so
# any local pip configuration that points at a CPU wheel is left out).
lock: $(VENV)/.installed-dev
	rm -f requirements/dev.txt requirements/base.txt requirements/gpu.txt
	$(COMPILE) --extra dev -o requirements/dev.txt pyproject.toml
	$(COMPILE) --constraint requirements/dev.txt -o requirements/base.txt pyproject.toml
	env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null \
		$(COMPILE) --extra demos --constraint requirements/base.txt -o requirements/gpu.txt pyproject.toml

# Front-end packages come from npm at build time; pages still work without them (no live updates).
assets:
	@if command -v npm >/dev/null 2>&1; then \
		if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
			npm ci --no-audit --no-fund --loglevel=error; \
		fi; \
		mkdir -p build/static/vendor && cp node_modules/htmx.org/dist/htmx.min.js node_modules/jsqr/dist/jsQR.js build/static/vendor/; \
	else \
		echo "Node.js/npm not found: pages will work, but live counters need htmx. Install Node.js 20+ and re-run."; \
	fi

# Translations: locale/<lang>/LC_MESSAGES/django.po is the source, the .mo is built (msgfmt where GNU
# gettext is installed, Python otherwise). `make messages` collects newly marked strings into the .po.
translations: $(VENV)/.installed
	$(PY) manage.py compiletranslations --verbosity 0

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l fr --no-location --no-obsolete --ignore=.venv --ignore=node_modules \
		--ignore=build --ignore=var --ignore=tests --ignore=bench --ignore=control --ignore=requirements --ignore=deploy

run: $(VENV)/.installed assets translations
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(PY) manage.py seed_demo
	@echo ""
	@echo "  Open http://$(HOST):$(PORT)/   (API docs: http://$(HOST):$(PORT)/api/docs)"
	@echo ""
	@DEBUG=$${DEBUG:-true} bash -c 'trap "kill 0" EXIT; \
		$(VENV)/bin/celery -A meetup worker --beat -Q default,sms,email,gpu --concurrency 2 --loglevel INFO & \
		$(PY) manage.py runserver $(HOST):$(PORT)'

test: $(VENV)/.installed-dev assets translations
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

# ruff format checks the files written in its style so far (.ci/formatted); the rest keep theirs.
lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check $$(grep -v '^#' .ci/formatted)

# Known vulnerabilities in the locked versions; fails when one has a fix (see .ci/audit.py).
audit: $(VENV)/.installed-dev
	$(PY) .ci/audit.py requirements/dev.txt

# PostgreSQL backups in pg_dump's custom format (README, Backups): `make backup` writes
# var/backups/meetup-<time>.dump (or BACKUP=path); `make restore BACKUP=path` loads one into the
# (empty) database DATABASE_URL names.
backup:
	@test -n "$(DATABASE_URL)" || { echo "Set DATABASE_URL=postgres://... (backups are of PostgreSQL)"; exit 2; }
	mkdir -p $(dir $(BACKUP))
	pg_dump --format=custom --no-owner --no-privileges --file "$(BACKUP)" "$(DATABASE_URL)"
	@echo "Backup written to $(BACKUP)"

restore:
	@test -n "$(DATABASE_URL)" || { echo "Set DATABASE_URL=postgres://... (the database to restore into)"; exit 2; }
	@test -f "$(BACKUP)" || { echo "Set BACKUP=path/to/file.dump"; exit 2; }
	pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname "$(DATABASE_URL)" "$(BACKUP)"

# Benchmarks need PostgreSQL, Redis, wrk and pgbench (see README, Performance).
BENCHMARKS := rsvp_surge checkin_burst blast_fanout pages hubsync_refresh demo_inference
bench: $(VENV)/.installed-dev
	@for name in $(or $(NAME),$(BENCHMARKS)); do $(PY) bench/$$name.py || exit 1; done

clean:
	rm -rf $(VENV) node_modules build var .pytest_cache locale/*/LC_MESSAGES/*.mo

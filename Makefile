# Two commands do everything: `make run` (site with demo data) and `make test` (whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test assets translations messages bench lint clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

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
		--ignore=build --ignore=var --ignore=tests --ignore=bench --ignore=control

run: $(VENV)/.installed assets translations
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(PY) manage.py seed_demo
	@echo ""
	@echo "  Open http://$(HOST):$(PORT)/   (API docs: http://$(HOST):$(PORT)/api/docs)"
	@echo ""
	@DEBUG=$${DEBUG:-true} bash -c 'trap "kill 0" EXIT; \
		$(VENV)/bin/celery -A meetup worker --beat --schedule var/celerybeat-schedule -Q default,sms,email,gpu --concurrency 2 --loglevel INFO & \
		$(PY) manage.py runserver $(HOST):$(PORT)'

test: $(VENV)/.installed-dev assets translations
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .

# Benchmarks need PostgreSQL, Redis, wrk and pgbench (see README, Performance).
BENCHMARKS := rsvp_surge checkin_burst blast_fanout pages hubsync_refresh demo_inference
bench: $(VENV)/.installed-dev
	@for name in $(or $(NAME),$(BENCHMARKS)); do $(PY) bench/$$name.py || exit 1; done

clean:
	rm -rf $(VENV) node_modules build var .pytest_cache locale/*/LC_MESSAGES/*.mo

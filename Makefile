# The two commands of the README: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000

.PHONY: run test setup setup-dev system-packages migrate demo lint format messages check-messages clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

setup: system-packages $(VENV)/.installed
setup-dev: system-packages $(VENV)/.installed-dev

migrate: setup
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py load_demo

## Set up, load the Văn Lãng demo and serve it on http://127.0.0.1:$(PORT)
## The demo signs in without a phone: two-factor sign-in is not required (VANLANG_TWO_FACTOR=0)
run: demo
	@echo "Vanlang: http://127.0.0.1:$(PORT)  (Ctrl+C to stop)"
	VANLANG_TWO_FACTOR=$${VANLANG_TWO_FACTOR:-0} $(PY) manage.py runserver 127.0.0.1:$(PORT)

## Set up and run the whole test suite (PostgreSQL and Redis when DATABASE_URL / CELERY_BROKER_URL are set)
test: setup-dev
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Refresh the catalogs from the source (needs GNU gettext), fill English, compile; then translate what it lists
messages: setup-dev
	$(PY) manage.py makemessages --locale vi --locale en --no-location --ignore '$(VENV)/*' --ignore 'staticfiles/*'
	$(PY) locale/fill.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# The printable plan (WeasyPrint) needs Pango and a Times-compatible font with every Vietnamese
# glyph: fonts-liberation2 (Liberation Serif 2.x; the 1.x of fonts-liberation lacks ắ, ệ, ơ, ư).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2
system-packages:
	@if dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing $(SYSTEM_PACKAGES)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	else \
		echo "The printable plan needs: sudo apt-get install $(SYSTEM_PACKAGES)"; \
	fi

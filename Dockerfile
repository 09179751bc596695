# syntax=docker/dockerfile:1
# Three stages: front-end packages from npm (Node lives only here), the locked Python dependencies
# installed into a virtual environment, and a slim runtime that gets the two results and runs as
# an unprivileged user. Base images are pinned to exact releases; bump them deliberately.
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

FROM node:22.21.1-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && mkdir -p build/static/vendor \
 && cp node_modules/htmx.org/dist/htmx.min.js node_modules/jsqr/dist/jsQR.js build/static/vendor/

FROM ${PYTHON_IMAGE} AS python
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /venv
WORKDIR /src
COPY requirements ./requirements
# EXTRAS=demos builds the gpu worker's image: torch (the CUDA build) and transformers from
# requirements/gpu.txt, locked like the rest.
ARG EXTRAS=""
RUN /venv/bin/pip install --require-hashes -r requirements/base.txt \
 && if [ "$EXTRAS" = "demos" ]; then /venv/bin/pip install --require-hashes -r requirements/gpu.txt; fi
COPY pyproject.toml README.md ./
COPY meetup ./meetup
COPY hubsync ./hubsync
RUN /venv/bin/pip install --no-deps .

FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/venv/bin:$PATH DATA_DIR=/data
# Fonts for printed badges: DejaVu (Latin, Greek, Cyrillic, Arabic, Hebrew) and Droid Sans Fallback (CJK).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core fonts-droid-fallback \
    && rm -rf /var/lib/apt/lists/*
# /models is the gpu worker's model cache volume; a new volume takes the owner from the image.
RUN useradd --create-home --uid 1000 meetup && mkdir -p /data /models && chown meetup:meetup /data /models
WORKDIR /app
COPY --from=python /venv /venv
COPY manage.py gunicorn.conf.py ./
COPY meetup ./meetup
COPY hubsync ./hubsync
COPY templates ./templates
COPY static ./static
COPY locale ./locale
COPY --from=assets /app/build ./build
# Static files are collected into the image (build/staticfiles), outside the data volume, so a new
# image always serves its own; DATA_DIR points at a scratch folder so nothing lands in /data.
# The translations are compiled here too (.mo files are build output, never committed).
RUN DATA_DIR=/tmp/collectstatic python manage.py collectstatic --noinput \
 && DATA_DIR=/tmp/collectstatic python manage.py compiletranslations \
 && rm -rf /tmp/collectstatic
USER meetup
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["gunicorn", "meetup.wsgi", "--config", "gunicorn.conf.py"]

# Front-end packages from npm, then the Python app on a slim image.
FROM node:20-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund && mkdir -p build/static/vendor && cp node_modules/htmx.org/dist/htmx.min.js node_modules/jsqr/dist/jsQR.js build/static/vendor/

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DATA_DIR=/data
WORKDIR /app
# Fonts for printed badges: DejaVu (Latin, Greek, Cyrillic, Arabic, Hebrew) and Droid Sans Fallback (CJK).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core fonts-droid-fallback \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 meetup && mkdir -p /data && chown meetup /data
COPY pyproject.toml README.md ./
COPY meetup ./meetup
# EXTRAS=demos builds the gpu worker's image, with torch and transformers.
ARG EXTRAS=""
RUN pip install --no-cache-dir ".${EXTRAS:+[$EXTRAS]}"
COPY . .
COPY --from=assets /app/build ./build
RUN SECRET_KEY=collectstatic python manage.py collectstatic --noinput
USER meetup
EXPOSE 8000
CMD ["gunicorn", "meetup.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]

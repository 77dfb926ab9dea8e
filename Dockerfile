# Build stage: the dependencies, exactly as locked (every package, indirect ones too,
# pinned with its hashes: `make lock` updates requirements.lock).
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /venv
COPY requirements.lock /tmp/requirements.lock
RUN /venv/bin/pip install --require-hashes --no-deps -r /tmp/requirements.lock

# Run stage: no compilers, no pip cache, the code owned by root and read-only to the
# portal, which runs as uid 1000 and may write only to its media folder.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/venv/bin:$PATH
RUN useradd --create-home --uid 1000 portal
# pg_dump and pg_restore for manage.py backup/restore (any client as new as the server).
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /venv /venv
WORKDIR /app
COPY . .
# collectstatic needs settings to load; these placeholders never serve a request.
# The code stays root's; only the media folder (uploads, when no S3_BUCKET is set)
# belongs to the portal, also when a fresh named volume is mounted over it.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py collectstatic --noinput \
    && chmod -R a-w,a+rX /app \
    && mkdir -p /app/media && chown portal:portal /app/media && chmod 0750 /app/media \
    && mkdir -p /backups && chown portal:portal /backups && chmod 0700 /backups
USER portal

EXPOSE 8000
# gunicorn.conf.py binds to loopback by default; in a container it must listen on
# every interface of the container for the port mapping to reach it.
ENV GUNICORN_BIND=0.0.0.0:8000 MEDIA_ROOT=/app/media
# The web server's check (docker-compose.yml gives the worker and beat their own):
# /healthz answers 200 when the database and broker do. Django answers only to
# ALLOWED_HOSTS, so it asks with the first of them as Host.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request as u; r = u.Request('http://127.0.0.1:8000/healthz', headers={'Host': os.environ['ALLOWED_HOSTS'].split(',')[0]}); sys.exit(u.urlopen(r, timeout=5).status != 200)"]
CMD ["gunicorn", "inpud_portal.wsgi:application", "--config", "gunicorn.conf.py"]

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

RUN useradd --create-home --uid 1000 portal
# pg_dump and pg_restore for manage.py backup/restore (any client as new as the server).
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install .
COPY . .
# collectstatic needs settings to load; these placeholders never serve a request.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py collectstatic --noinput \
    && chown -R portal /app
USER portal

EXPOSE 8000
# gunicorn.conf.py binds to loopback by default; in a container it must listen on
# every interface of the container for the port mapping to reach it.
ENV GUNICORN_BIND=0.0.0.0:8000
CMD ["gunicorn", "inpud_portal.wsgi:application", "--config", "gunicorn.conf.py"]

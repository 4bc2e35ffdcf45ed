# ERP MIF Maroc back end: one image for the web (gunicorn) and the worker (qcluster) roles.

# ---------------------------------------------------------------------------
# Build stage: the virtualenv, so the runtime image carries no pip cache or build leftovers
# ---------------------------------------------------------------------------
FROM python:3.11-slim AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

COPY requirements/ /tmp/requirements/
RUN pip install --no-cache-dir -r /tmp/requirements/prod.txt

# ---------------------------------------------------------------------------
# Runtime stage
# ---------------------------------------------------------------------------
FROM python:3.11-slim AS runtime

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=erp_mif.settings.production \
    APP_ROLE=web \
    WEB_CONCURRENCY=3

# A home of its own, so gunicorn can create its control socket under ~/.gunicorn.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-log-init --create-home --home-dir /home/app \
        --shell /usr/sbin/nologin app

WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
# The code stays owned by root: the app user only writes media and the published static files.
COPY . .
# Named volumes mounted on these paths start with this ownership. The mode bit may not survive every checkout.
RUN mkdir -p /app/media /srv/static \
    && chown app:app /app/media /srv/static \
    && chmod 0755 docker/entrypoint.sh

# Static files are part of the image; the key is a throwaway, collectstatic signs nothing.
RUN SECRET_KEY=collectstatic-build-only-key-never-used-at-runtime-0123456789 \
    python manage.py collectstatic --noinput --verbosity 0

# Numeric, so that the platform can verify the user is not root without reading /etc/passwd.
USER 10001:10001
EXPOSE 8000

# Django answers only to ALLOWED_HOSTS, so the probe presents the first of them (a bare '*' or '.domain' pattern
# gives 'localhost' or 'domain'); the health path is exempt from the HTTPS redirect.
# --start-interval (Docker Engine 25+) probes often while migrations run, so dependants start soon after.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --start-interval=3s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; host = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.*') or 'localhost'; r.urlopen(r.Request('http://127.0.0.1:8000/api/v1/health/live/', headers={'Host': host}), timeout=4)"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
# The app logs one JSON line per request itself, so gunicorn keeps its access log off. Workers: WEB_CONCURRENCY.
# The heartbeat files go to /dev/shm: on the container's overlay filesystem they can stall workers.
CMD ["gunicorn", "erp_mif.wsgi:application", "--bind", "0.0.0.0:8000", "--worker-tmp-dir", "/dev/shm"]

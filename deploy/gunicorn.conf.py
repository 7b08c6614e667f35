"""gunicorn settings for Nastavnik: ``gunicorn -c deploy/gunicorn.conf.py nastavnik.wsgi``.

Every value can be changed from the environment (``WEB_CONCURRENCY``, ``GUNICORN_BIND``, ...).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers: pages are short database reads; two per core is the usual start.
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1))))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Restart each worker now and then so a slow leak never grows.
max_requests = 2000
max_requests_jitter = 200
# One line per request on stdout (``GUNICORN_ACCESSLOG=-``, the default); behind nginx, which
# logs every request itself, an empty value turns gunicorn's copy off. The application's own log
# goes to stderr.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

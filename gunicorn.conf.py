"""gunicorn settings for Chibo (docs/deploy.md): `gunicorn chibo.wsgi`.

Read from the project folder by default; every value can be overridden from
the environment or the command line.
"""

import os

# Loopback only: the reverse proxy (nginx) faces the network.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers, one per core: Chibo's pages are short and CPU-bound (templates),
# and on a 2-core office server 2 workers served more than 4 (docs/benchmarks.md).
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
# A request that takes longer than this is killed and its worker replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# The proxy keeps connections to its clients; between proxy and gunicorn,
# sync workers answer one request per connection.
keepalive = 2
# No control socket under ~/.gunicorn/ (gunicorn 27): systemd manages the process.
control_socket_disable = True
# Errors to stderr (journald under systemd); the proxy writes the access log.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "warning")
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
# The proxy is on the same machine; trust its X-Forwarded-* headers only from there.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

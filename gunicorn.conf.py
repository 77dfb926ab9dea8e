"""gunicorn settings for the production profile, overridable from the environment."""

import multiprocessing
import os

# Loopback unless told otherwise: started by hand, gunicorn serves plain HTTP, which
# only the TLS proxy on the same machine should reach. The container sets 0.0.0.0,
# where Docker's port mapping (to the host's loopback) is what limits who connects.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
accesslog = "-"
# No client IPs in the access log: the portal keeps no personal data it does not need.
access_log_format = '"%(r)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

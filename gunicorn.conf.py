"""gunicorn's settings, from the environment (README, Deploy): `gunicorn meetup.wsgi -c gunicorn.conf.py`."""

import os
import shutil
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A request still running after this many seconds has its worker killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Workers are replaced after this many requests (give or take the jitter, so not all at once),
# which bounds whatever memory a long-lived process gathers.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'
# The TLS proxy in front is the only client whose X-Forwarded-* headers count.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"

# Request latency histograms are written by every worker and summed at scrape time
# (prometheus_client's multiprocess mode); the folder is emptied when gunicorn starts.
_data_dir = Path(os.environ.get("DATA_DIR") or Path(__file__).resolve().parent / "var")
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(_data_dir / "prometheus"))


def on_starting(server):
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    """Load the URLs (and with them the API and its schemas) now rather than on the first request,
    then freeze everything loaded so far out of the garbage collector's reach: the full collections
    a busy worker runs no longer walk the whole framework, which showed as 100-250 ms stalls in the
    tail of a burst."""
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view, router and schema
    gc.collect()
    gc.freeze()

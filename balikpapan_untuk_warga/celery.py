"""The Celery application: `make worker` and `make beat` run it against CELERY_BROKER_URL."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balikpapan_untuk_warga.settings")

app = Celery("balikpapan_untuk_warga")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.setup_logging.connect(weak=False)
def _use_django_logging(**kwargs):
    """Workers and beat log like the web process (LOGGING: redacted, JSON or text, with the
    request id), instead of Celery's own root handler."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


# Carries X-Request-ID from the request to the tasks it queues (signal handlers).
import balikpapan_untuk_warga.request_id  # noqa: E402, F401

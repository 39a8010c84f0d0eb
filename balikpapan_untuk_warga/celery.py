"""The Celery application: `make worker` and `make beat` run it against CELERY_BROKER_URL."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balikpapan_untuk_warga.settings")

app = Celery("balikpapan_untuk_warga")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

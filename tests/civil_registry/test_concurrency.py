"""Two submissions of one request at the same moment: one wins, the other is refused."""

import threading

import pytest
from django.db import connection

from balikpapan_untuk_warga.api.errors import ApplicationError
from civil_registry import services
from civil_registry.models import CivilRequest
from services.workflow import StatusHistory
from tests.civil_registry.conftest import birth_request


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_submission_writes_one_history_row(citizen):
    obj = birth_request(citizen)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            barrier.wait()
            services.request_submit(actor=citizen, request=CivilRequest.objects.get(pk=obj.pk))
            outcomes.append("ok")
        except ApplicationError as exc:
            outcomes.append(exc.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes, key=str) == [409, "ok"]
    obj.refresh_from_db()
    assert obj.state == "submitted"
    assert StatusHistory.objects.filter(object_id=obj.pk, transition="submit").count() == 1

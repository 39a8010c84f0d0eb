"""Staff screens: the conversation list (scoped, query budget), the thread and the reply form,
and Open311 partners whose key is shown once."""

import pytest
from django.test import Client, TestCase

from accounts.models import AgencyMembership
from channels.models import ComplaintThread, Conversation, Message, Partner, hash_api_key
from services.models import Agency
from tests.channels.conftest import Citizen
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/channels/conversation/"


def _staff(code, role=AgencyMembership.Role.COUNTER_OFFICER):
    return StaffFactory(role=role, role__agency=Agency.objects.get(code=code))


def _browser(user):
    client = Client()
    client.force_login(user)
    return client


def _report(wa_id: str, text: str) -> Conversation:
    citizen = Citizen(wa_id=wa_id)
    citizen.says("LAPOR")
    citizen.says(text)
    citizen.shares_location(-1.2654, 116.8312)
    citizen.says("LANJUT")
    citizen.says("YA")
    return citizen.conversation


@pytest.fixture
def road(seeded):
    return _report("6281200000001", "Jalan berlubang besar di depan sekolah, aspal rusak parah")


@pytest.fixture
def waste(seeded):
    return _report("6281200000002", "Sampah menumpuk di TPS dan bau sekali sejak seminggu")


def test_agency_staff_see_only_threads_of_their_complaints(road, waste):
    dpu = _browser(_staff("dpu"))
    page = dpu.get(LIST)
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [road]
    assert dpu.get(f"{LIST}{waste.pk}/change/").status_code == 302  # not found → admin index
    centre = _browser(_staff("diskominfo", AgencyMembership.Role.COMMAND_CENTRE))
    assert set(centre.get(LIST).context["cl"].result_list) == {road, waste}
    citizen = UserFactory()
    assert Client().get(LIST).status_code == 302
    browser = Client()
    browser.force_login(citizen)
    assert browser.get(LIST).status_code == 302


def test_the_conversation_list_query_count_does_not_grow(seeded, django_assert_max_num_queries):
    centre = _browser(_staff("diskominfo", AgencyMembership.Role.COMMAND_CENTRE))
    Conversation.objects.create(phone="+6281200000009", wa_id="6281200000009")
    centre.get(LIST)  # warm the session and permission caches
    # the admin's own (session, user, permissions, sidebar, counts) plus one for the page of
    # conversations with their message counts and accounts: the same at 1 and 11 rows
    with django_assert_max_num_queries(20) as one:
        centre.get(LIST)
    for n in range(10, 20):
        Conversation.objects.create(phone=f"+62812000000{n}", wa_id=f"62812000000{n}")
    with django_assert_max_num_queries(20) as eleven:
        response = centre.get(LIST)
    assert len(response.context["cl"].result_list) == 11
    assert len(eleven.captured_queries) == len(one.captured_queries)


def test_staff_reply_from_the_thread(road):
    officer = _staff("dpu")
    browser = _browser(officer)
    page = browser.get(f"{LIST}{road.pk}/change/")
    assert page.status_code == 200
    content = page.content.decode()
    complaint = ComplaintThread.objects.get(conversation=road).complaint
    assert complaint.tracking_number in content  # the thread shows the filed complaint
    assert "Jalan berlubang besar" in content
    assert "+6281200000001" not in content  # the number is masked
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = browser.post(
            f"{LIST}{road.pk}/change/", {"reply": "Tim kami menuju lokasi besok pagi."}
        )
    assert response.status_code == 302
    reply = Message.objects.get(sent_by=officer)
    assert reply.text == "Tim kami menuju lokasi besok pagi."
    assert reply.complaint == complaint
    assert reply.status == Message.Status.SENT
    assert reply.template == ""  # the citizen wrote minutes ago


def test_complaint_threads_are_searchable_by_number(road):
    complaint = ComplaintThread.objects.get().complaint
    browser = _browser(_staff("dpu"))
    page = browser.get("/admin/channels/complaintthread/", {"q": complaint.tracking_number})
    assert page.status_code == 200
    assert f"/admin/channels/conversation/{road.pk}/change/" in page.content.decode()


def test_a_new_partner_gets_a_key_shown_once(seeded):
    centre = _browser(_staff("diskominfo", AgencyMembership.Role.COMMAND_CENTRE))
    response = centre.post(
        "/admin/channels/partner/add/",
        {"name": "FixMyCity", "contact_email": "dev@example.org", "is_active": "on"},
        follow=True,
    )
    assert response.status_code == 200
    partner = Partner.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    keys = [w for m in shown for w in m.split() if hash_api_key(w) == partner.key_hash]
    assert len(keys) == 1  # shown once, stored only as its hash
    assert partner.key_prefix == keys[0][:8]
    # another agency's officer cannot manage partners
    assert _browser(_staff("dpu")).get("/admin/channels/partner/").status_code == 403


def test_the_complaint_page_shows_its_whatsapp_thread(road):
    complaint = ComplaintThread.objects.get(conversation=road).complaint
    page = _browser(_staff("dpu")).get(f"/admin/complaints/complaint/{complaint.pk}/change/")
    assert page.status_code == 200
    content = page.content.decode()
    assert f"/admin/channels/conversation/{road.pk}/change/" in content
    assert "Jalan berlubang besar" in content


def _complaint_form(**fields):
    """The complaint change form as the admin posts it (its two inlines' management forms)."""
    management = {}
    for prefix in ("supporters", "internal_notes"):
        management |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return management | fields


def test_staff_reply_from_the_complaint_page(road, waste):
    complaint = ComplaintThread.objects.get(conversation=road).complaint
    officer = _staff("dpu")
    browser = _browser(officer)
    url = f"/admin/complaints/complaint/{complaint.pk}/change/"
    assert 'name="whatsapp_reply"' in browser.get(url).content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = browser.post(url, _complaint_form(whatsapp_reply="Perbaikan dijadwalkan Senin."))
    assert response.status_code == 302
    reply = Message.objects.get(sent_by=officer)
    assert (reply.conversation, reply.complaint) == (road, complaint)
    assert reply.text == "Perbaikan dijadwalkan Senin." and reply.status == Message.Status.SENT


def test_no_reply_from_another_agency_or_to_a_complaint_not_from_whatsapp(road, waste):
    road_complaint = ComplaintThread.objects.get(conversation=road).complaint
    outsider = _staff("dkk")
    # another agency does not even reach the road complaint's page
    url = f"/admin/complaints/complaint/{road_complaint.pk}/change/"
    response = _browser(outsider).post(url, _complaint_form(whatsapp_reply="x"))
    assert response.status_code == 302 and not Message.objects.filter(sent_by=outsider).exists()
    # a complaint without a conversation (as if filed in the app) has nobody to answer on WhatsApp
    thread = ComplaintThread.objects.get(conversation=waste)
    complaint = thread.complaint
    thread.delete()
    centre = _staff("diskominfo", AgencyMembership.Role.COMMAND_CENTRE)
    response = _browser(centre).post(
        f"/admin/complaints/complaint/{complaint.pk}/change/",
        _complaint_form(whatsapp_reply="Halo"),
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "did not come by WhatsApp" in shown
    assert not Message.objects.filter(sent_by=centre).exists()

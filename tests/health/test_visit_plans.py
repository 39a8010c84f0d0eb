"""One MPP visit for a household: proposed in the order of what depends on what, at consecutive
times across counters, booked all at once, and re-planned after a step is cancelled (services,
API and portal)."""

import itertools

import pytest

from health import services
from health.exceptions import NotAllowedForPerson, PlanNoSlot, PlanNothingToReplan
from health.models import Ticket, VisitPlan
from tests.accounts.test_households import OTHER_KK, family
from tests.factories import AgencyFactory, HouseholdMemberFactory, UserFactory
from tests.health.conftest import errors
from tests.health.factories import mpp_with_hourly_sessions

pytestmark = pytest.mark.django_db
BASE = "/api/v1/kesehatan"
PORTAL = "/layanan/kesehatan"


@pytest.fixture
def mpp(dkk):
    return mpp_with_hourly_sessions(agency=dkk)


def stranger():
    """A member of another household (someone the head may not book for)."""
    return HouseholdMemberFactory(household__kk_number=OTHER_KK, nik=None)


@pytest.fixture
def head():
    return UserFactory(full_name="Budi Santoso", nik="6471051508900001")


def test_the_proposal_is_ordered_by_dependencies_at_consecutive_times(mpp, head):
    child = family(head).child
    slots = mpp["slots"]

    # asked BPJS first: it depends on the KK update at Disdukcapil, so it comes last
    chain = services.visit_plan_propose(
        actor=head,
        steps=[(mpp["bpjs"], None), (mpp["dukcapil"], None), (mpp["dukcapil"], child)],
    )

    assert chain == [
        (slots[("disdukcapil", 0)], None),
        (slots[("disdukcapil", 1)], child),
        (slots[("bpjs", 2)], None),
    ]
    for (earlier, _), (later, _) in itertools.pairwise(chain):
        assert later.starts_at >= earlier.ends_at
    assert Ticket.objects.count() == 0  # a proposal books nothing


def test_the_proposal_skips_full_sessions_and_says_when_nothing_fits(mpp, head):
    slots = mpp["slots"]
    slots[("disdukcapil", 0)].quota = 0
    slots[("disdukcapil", 0)].save()

    chain = services.visit_plan_propose(actor=head, steps=[(mpp["dukcapil"], None)])
    assert chain == [(slots[("disdukcapil", 1)], None)]
    with pytest.raises(PlanNoSlot):
        services.visit_plan_propose(actor=head, steps=[(mpp["dukcapil"], None)] * 5)
    with pytest.raises(NotAllowedForPerson):
        services.visit_plan_propose(actor=head, steps=[(mpp["dukcapil"], stranger())])


def test_booking_against_the_dependencies_is_refused(api, mpp, head):
    slots = mpp["slots"]
    api.force_authenticate(head)
    response = api.post(
        f"{BASE}/visit-plans/",
        {
            "payer": "bpjs",
            "steps": [
                {"session": str(slots[("bpjs", 0)].uuid)},
                {"session": str(slots[("disdukcapil", 1)].uuid)},
            ],
        },
        format="json",
    )
    assert (response.status_code, errors(response)) == (400, ["plan_out_of_order"])
    assert Ticket.objects.count() == 0


def book_chain(api, mpp, head, child):
    proposal = api.post(
        f"{BASE}/visit-plans/propose/",
        {
            "steps": [
                {"service_point": str(mpp["bpjs"].uuid)},
                {"service_point": str(mpp["dukcapil"].uuid)},
                {"service_point": str(mpp["dukcapil"].uuid), "member": str(child.uuid)},
            ]
        },
        format="json",
    )
    assert proposal.status_code == 200
    steps = proposal.json()["steps"]
    response = api.post(
        f"{BASE}/visit-plans/",
        {
            "payer": "bpjs",
            "steps": [{"session": s["session"]["uuid"], "member": s["member"]} for s in steps],
        },
        format="json",
    )
    assert response.status_code == 201
    return steps, response.json()


def test_api_propose_book_cancel_and_replan(api, mpp, head):
    child = family(head).child
    slots = mpp["slots"]
    api.force_authenticate(head)

    steps, plan = book_chain(api, mpp, head, child)

    assert [s["session"]["service_point"] for s in steps] == [
        "Loket Disdukcapil",
        "Loket Disdukcapil",
        "Loket BPJS",
    ]
    assert [(t["patient_name"], t["session"]) for t in plan["tickets"]] == [
        ("Budi Santoso", str(slots[("disdukcapil", 0)].uuid)),
        ("Citra Santoso", str(slots[("disdukcapil", 1)].uuid)),
        ("Budi Santoso", str(slots[("bpjs", 2)].uuid)),
    ]
    nothing = api.post(f"{BASE}/visit-plans/{plan['uuid']}/replan/")
    assert (nothing.status_code, errors(nothing)) == (409, ["plan_nothing_to_replan"])

    # the child's KIA step is cancelled: BPJS can move up to right after the KK update
    api.post(f"{BASE}/tickets/{plan['tickets'][1]['uuid']}/cancel/")
    detail = api.get(f"{BASE}/visit-plans/{plan['uuid']}/").json()
    assert detail["replan_options"][0]["step"] == 3
    replanned = api.post(f"{BASE}/visit-plans/{plan['uuid']}/replan/")

    assert replanned.status_code == 200
    active = [t for t in replanned.json()["tickets"] if t["state"] == "booked"]
    assert [(t["session"], t["number"]) for t in active] == [
        (str(slots[("disdukcapil", 0)].uuid), 1),
        (str(slots[("bpjs", 1)].uuid), 1),
    ]
    old = Ticket.objects.get(session=slots[("bpjs", 2)])
    assert old.state == "cancelled"
    slots[("bpjs", 2)].refresh_from_db()
    assert (slots[("bpjs", 2)].taken_count, slots[("bpjs", 2)].last_number) == (0, 1)


def test_another_citizen_cannot_see_or_replan_a_visit(api, mpp, head):
    child = family(head).child
    api.force_authenticate(head)
    _, plan = book_chain(api, mpp, head, child)
    api.force_authenticate(UserFactory())
    assert api.get(f"{BASE}/visit-plans/{plan['uuid']}/").status_code == 404
    assert api.post(f"{BASE}/visit-plans/{plan['uuid']}/replan/").status_code == 404
    assert (
        api.post(
            f"{BASE}/visit-plans/propose/",
            {"steps": [{"service_point": str(mpp["dukcapil"].uuid), "member": str(child.uuid)}]},
            format="json",
        ).status_code
        == 403
    )


def test_replan_when_nothing_fits_changes_nothing(mpp, head):
    slots = mpp["slots"]
    plan = services.visit_plan_book(
        actor=head,
        steps=[(slots[("disdukcapil", 0)], None), (slots[("bpjs", 4)], None)],
        payer="bpjs",
    )
    for hour in range(1, 4):
        slots[("bpjs", hour)].quota = 0
        slots[("bpjs", hour)].save()
    first = plan.tickets.get(plan_step=1)
    services.ticket_cancel(actor=head, ticket=first)
    with pytest.raises(PlanNothingToReplan):
        services.visit_plan_replan(actor=UserFactory(), plan=VisitPlan.objects.create(owner=head))

    services.visit_plan_replan(actor=head, plan=plan)  # after "now": bpjs 0 is the earliest

    booked = plan.tickets.filter(state="booked").get()
    assert booked.session == slots[("bpjs", 0)] and booked.plan_step == 2


# --- portal ---------------------------------------------------------------------------------------


def test_portal_plan_book_cancel_and_replan(client, mpp, head):
    child = family(head).child
    slots = mpp["slots"]
    client.force_login(head)
    assert client.get(f"{PORTAL}/kunjungan/").status_code == 200

    proposed = client.post(
        f"{PORTAL}/kunjungan/",
        {
            "payer": "bpjs",
            "point_1": str(mpp["bpjs"].uuid),
            "point_2": str(mpp["dukcapil"].uuid),
            "point_3": str(mpp["dukcapil"].uuid),
            "member_3": str(child.uuid),
        },
    )
    assert proposed.status_code == 200
    assert [s.pk for s, _ in proposed.context["proposal"]] == [
        slots[("disdukcapil", 0)].pk,
        slots[("disdukcapil", 1)].pk,
        slots[("bpjs", 2)].pk,
    ]
    booked = client.post(
        f"{PORTAL}/kunjungan/pesan/",
        {
            "payer": "bpjs",
            "session": [str(s.uuid) for s, _ in proposed.context["proposal"]],
            "member": ["", str(child.uuid), ""],
        },
    )
    plan = VisitPlan.objects.get()
    assert booked["Location"] == f"{PORTAL}/kunjungan/{plan.uuid}/"
    assert plan.tickets.count() == 3

    client.post(f"{PORTAL}/kunjungan/{plan.uuid}/langkah/2/batal/")
    page = client.get(f"{PORTAL}/kunjungan/{plan.uuid}/")
    assert page.context["may_replan"] is True
    client.post(f"{PORTAL}/kunjungan/{plan.uuid}/rencana-ulang/")
    assert plan.tickets.get(plan_step=3, state="booked").session == slots[("bpjs", 1)]

    client.force_login(UserFactory())
    assert client.get(f"{PORTAL}/kunjungan/{plan.uuid}/").status_code == 404
    assert client.post(f"{PORTAL}/kunjungan/{plan.uuid}/rencana-ulang/").status_code == 404
    assert client.post(f"{PORTAL}/kunjungan/{plan.uuid}/langkah/1/batal/").status_code == 404


def test_portal_refuses_a_tampered_proposal(client, mpp, head):
    other = stranger()
    client.force_login(head)
    session = mpp["slots"][("disdukcapil", 0)]
    for data in (
        {"payer": "bpjs", "session": [str(session.uuid)], "member": [str(other.uuid)]},
        {"payer": "bpjs", "session": ["not-a-uuid"], "member": [""]},
        {"payer": "nope", "session": [str(session.uuid)], "member": [""]},
        {"payer": "bpjs", "session": [str(session.uuid)], "member": []},
    ):
        response = client.post(f"{PORTAL}/kunjungan/pesan/", data)
        assert response["Location"] == f"{PORTAL}/kunjungan/"
    assert Ticket.objects.count() == 0
    assert client.post(f"{PORTAL}/kunjungan/", {"payer": "bpjs"}).status_code == 400


def test_the_demo_mpp_has_hourly_counters_ordered_by_dependency():
    from health.demo import seed_health_demo
    from health.models import Schedule, ServicePoint

    for code, name in [
        ("dkk", "Dinas Kesehatan"),
        ("dpmptsp", "DPMPTSP"),
        ("disdukcapil", "Disdukcapil"),
        ("bpjs-kesehatan", "BPJS Kesehatan"),
    ]:
        AgencyFactory(code=code, name=name, short_name=name)
    seed_health_demo()
    seed_health_demo()  # idempotent

    dukcapil = ServicePoint.objects.get(facility__kind="mpp", code="disdukcapil")
    bpjs = ServicePoint.objects.get(facility__kind="mpp", code="bpjs-kesehatan")
    assert list(bpjs.prerequisites.all()) == [dukcapil]
    monday = Schedule.objects.filter(service_point=dukcapil, weekday=0).order_by("starts_at")
    assert [(s.starts_at.hour, s.ends_at.hour) for s in monday] == [
        (h, h + 1) for h in range(8, 15)
    ]

"""Page weight: a citizen on a slow, metered connection loads each page in under 150 KB.

The weight is the sum of the bodies (uncompressed, so an upper bound) of every response the page
needs: the HTML, the CSS and any other asset, with the browser cache off.
"""

import pytest

from tests.e2e.conftest import log_in

BUDGET_BYTES = 150 * 1024
PAGES = {
    "home": "/",
    "login": "/accounts/login/",
    "signup": "/accounts/signup/",
    "profile": "/profil/",
    "complaint-form": "/layanan/pengaduan/baru/",
    "complaint-tracking": "/layanan/pengaduan/lacak/",
    "complaint-dashboard": "/layanan/pengaduan/dasbor/",
    "health-visit-plan": "/layanan/kesehatan/kunjungan/",
}


def page_weight(page, url: str) -> dict[str, int]:
    """Load ``url`` with the cache off; return the size of each response body by URL."""
    sizes: dict[str, int] = {}

    def record(response):
        if 300 <= response.status < 400:
            return
        sizes[response.url] = len(response.body())

    page.on("response", record)
    try:
        page.goto(url, wait_until="networkidle")
    finally:
        page.remove_listener("response", record)
    return sizes


@pytest.mark.e2e
def test_main_pages_weigh_under_150_kb(page, context, live_server, citizen, record_property):
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    weights = {}
    for name, path in PAGES.items():
        if name == "profile":
            log_in(page, live_server.url, login=citizen.email)
        sizes = page_weight(page, f"{live_server.url}{path}")
        assert page.url == f"{live_server.url}{path}"
        assert any(url.endswith(".css") for url in sizes), sizes  # the stylesheet was counted
        weights[name] = sum(sizes.values())
        record_property(f"weight_{name}", weights[name])

    print("\npage weights (bytes):", weights)
    assert {name: w for name, w in weights.items() if w >= BUDGET_BYTES} == {}

"""The dashboard's charts in a real browser: the share pie leaves out the empty bands,
and each slice still reads its own band's share, as the figures print it."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_shell import sign_in
from tests.oversight.test_dashboard import URL, agencies, make_campaign

pytestmark = pytest.mark.browser


def test_each_pie_slice_reads_its_own_band_share(page, live_server, e2e_world, screenshot):
    w = e2e_world
    units = agencies(w, 4)
    # No excellent agency: the pie's first slice is the good band.
    make_campaign(
        w,
        2022,
        [(units[0], 85, "good", 1)] + [(u, 70, "fair", i + 2) for i, u in enumerate(units[1:])],
    )
    sign_in(page, live_server.url, "dost_officer")
    page.goto(f"{live_server.url}{URL}?year=2022")
    page.wait_for_selector("#chart-shares canvas")
    labels = page.evaluate(
        """() => {
          const el = document.getElementById("chart-shares");
          const series = echarts.getInstanceByDom(el).getOption().series[0];
          const label = (item, i) => ({name: item.name, data: item, dataIndex: i});
          return series.data.map((item, i) => series.label.formatter(label(item, i)));
        }"""
    )
    assert labels == ["Tốt\n25,0 %", "Khá\n75,0 %"]
    expect(page.locator("#band-good")).to_contain_text("25,0 %")
    screenshot(page, "dashboard-share-pie")

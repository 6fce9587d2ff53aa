"""The dashboard in a real browser: Debian's chromium driven by playwright, never a downloaded one.

The server is started through the real command line on a free loopback port and always
stopped (with its whole process group) by the fixture's finalizer. Without chromium or
playwright the test is skipped, saying why, except where CI is set: there it fails.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
START_SECONDS = 90
WAIT_MS = 30_000
PROJECTOR = {"width": 1280, "height": 720}


def _missing_browser() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium; `make test` does it as root)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is missing (pip install -e '.[test]')"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _listening_addresses(port: int) -> set[str]:
    """Local addresses (hex, as in /proc/net/tcp) listening on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def _stop(server: subprocess.Popen) -> None:
    """SIGTERM to the CLI (it stops Solara), then kill the whole group if anything lingers."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(server.pid, signal.SIGKILL)  # the group started for this server only
    except ProcessLookupError:
        pass
    server.wait(10)


@pytest.fixture
def browser_ready():
    why = _missing_browser()
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"the dashboard browser test cannot run in CI: {why}")
        pytest.skip(why)


HORIZON = 40  # days: the page reaches the end of its run within the test


@pytest.fixture
def dashboard(repo, tmp_path, browser_ready):
    """`python run.py dashboard SCENARIO --port P` running; yields (url, port, process).

    The scenario is omnichannel over a 40-day horizon, so the test can play it to the end.
    """
    port = _free_port()
    scenario = tmp_path / "omnichannel_short.yaml"
    scenario.write_text(f"extends: {repo / 'scenarios' / 'omnichannel.yaml'}\n"
                        f"horizon_days: {HORIZON}\n")
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "run.py", "dashboard", str(scenario), "--port",
                               str(port)],
                              cwd=repo, stdin=subprocess.DEVNULL, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the dashboard did not start in time"
                time.sleep(0.3)
        yield url, port, server
    finally:
        _stop(server)
        log.close()


@pytest.fixture
def page(dashboard, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_ARGS, viewport=PROJECTOR)
        try:
            tab = context.new_page()
            tab.set_default_timeout(WAIT_MS)
            tab.goto(dashboard[0])
            tab.wait_for_selector(".cx-day")
            tab.wait_for_function("() => document.querySelectorAll('.cx-chart canvas').length"
                                  " == 6 && document.querySelectorAll('img.cx-network').length"
                                  " == 2")
            yield tab
        finally:
            context.close()


try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the test is skipped (or fails under CI) without playwright
    PlaywrightTimeout = TimeoutError


def _day(tab) -> str:
    return tab.inner_text(".cx-day").split()[1]


def _step_to(tab, day: int) -> None:
    while int(_day(tab)) < day:
        target = int(_day(tab)) + 1
        tab.get_by_role("button", name="Step", exact=True).click()
        tab.wait_for_function(f"() => document.querySelector('.cx-day').innerText"
                              f".startsWith('Day {target} ')")


def _charts(tab) -> list[str]:
    """What each live chart draws, as its canvas image."""
    return tab.eval_on_selector_all(".cx-chart canvas", "cs => cs.map(c => c.toDataURL())")


def _networks(tab) -> list[str]:
    return tab.eval_on_selector_all("img.cx-network", "imgs => imgs.map(i => i.src)")


def _wait_until_redrawn(tab, before: list[str]) -> None:
    """Both network pictures differ from `before` (times out, failing, if they never do)."""
    tab.wait_for_function("before => Array.from(document.querySelectorAll('img.cx-network'))"
                          ".every((img, i) => img.src !== before[i])", arg=before)


def _reset_until(tab, condition: str, attempts: int = 3) -> None:
    """Press Reset until the page meets `condition` (a JS function); fail after `attempts`.

    Solara handles a tab's messages on several threads, so a control's new value can reach
    the server just after the Reset click that follows it; a user would press Reset again.
    """
    for attempt in range(attempts):
        tab.get_by_role("button", name="Reset", exact=True).click()
        try:
            tab.wait_for_function(condition, timeout=5_000 if attempt < attempts - 1 else WAIT_MS)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise


def _reset(tab) -> None:
    tab.get_by_role("button", name="Reset", exact=True).click()
    tab.wait_for_function("() => document.querySelector('.cx-day') && "
                          "document.querySelector('.cx-day').innerText.startsWith('Day 0 ')")


def _in_view(tab, selector: str) -> bool:
    """Whether every element matching `selector` is entirely inside the window."""
    return tab.eval_on_selector_all(selector, """(els, view) => els.length > 0 && els.every(e => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= view.height
            && r.right <= view.width; })""", PROJECTOR)


def _swatch_colours(tab) -> list[str]:
    """The colour each legend swatch shows (its fill, or its ring's colour)."""
    return tab.eval_on_selector_all(".cx-legend .cx-swatch", """els => els.map(e => {
        const s = getComputedStyle(e);
        return s.borderTopWidth !== '0px' ? s.borderTopColor : s.backgroundColor; })""")


def test_dashboard_steps_compares_resets_and_refuses_bad_values(dashboard, page, tmp_path):
    tab, (_, port, _) = page, dashboard
    # The server listens on loopback only (127.0.0.1 is 0100007F in /proc/net/tcp).
    if os.path.exists("/proc/net/tcp"):
        assert _listening_addresses(port) == {"0100007F"}

    # Side by side: omnichannel (A) and weak digital (B) on the same people.
    titles = tab.locator(".cx-network-title").all_inner_texts()
    assert titles == ["A · omnichannel", "B · weak_digital"]
    assert len(_charts(tab)) == 6 and len(_networks(tab)) == 2
    charts, networks = _charts(tab), _networks(tab)
    counters = tab.inner_text(".cx-counters")
    assert "Solara" not in tab.inner_text("body")  # no badge over the tables

    _step_to(tab, 30)
    assert _day(tab) == "30"
    # Every chart repaints with 30 days of data (times out, failing, if one never does).
    tab.wait_for_function("before => Array.from(document.querySelectorAll('.cx-chart canvas'))"
                          ".every((c, i) => c.toDataURL() !== before[i])", arg=charts)
    _wait_until_redrawn(tab, networks)
    assert tab.inner_text(".cx-counters") != counters
    tab.screenshot(path=str(tmp_path / "dashboard-setup.png"))

    # Every colour mode's legend shows a coloured swatch per entry, attitude's included.
    for mode, word in [("attitude", "hostile"), ("journey phase", "consideration")]:
        before = _networks(tab)
        tab.locator(".cx-colour-by").click()
        tab.get_by_role("option", name=mode).click()
        tab.wait_for_function(f"() => document.querySelector('.cx-legend').innerText"
                              f".includes('{word}')")
        _wait_until_redrawn(tab, before)
        colours = _swatch_colours(tab)
        assert len(colours) >= 3 and all(c.startswith("rgb(") for c in colours), colours
        assert len(set(colours)) == len(colours), colours

    # A slider shows its value; Reset rebuilds A with it, B untouched.
    slider = tab.get_by_role("slider", name="A · integration")
    assert "A · integration: 0.95" in tab.inner_text(".v-navigation-drawer")
    slider.focus()
    tab.keyboard.press("Home")
    assert slider.get_attribute("aria-valuenow") == "0"
    assert "A · integration: 0" in tab.inner_text(".v-navigation-drawer")
    _reset_until(tab, "() => document.querySelector('.cx-levers') && document.querySelector("
                 "'.cx-levers').innerText.includes('integration\\t0\\t')")
    levers = tab.inner_text(".cx-levers")
    assert "integration\t0\t0.1" in levers, levers
    assert "integration 0.95 → 0" in tab.inner_text(".cx-levers + div")
    assert tab.locator(".cx-network-title").all_inner_texts()[0] == "A · omnichannel (your levers)"

    # An impossible value gives one visible message in plain words, not a crash.
    people = tab.get_by_label("People (10 to 2,000)")
    people.fill("50000")
    people.press("Enter")
    _reset_until(tab, "() => document.querySelector('.cx-problem')")
    assert tab.locator(".cx-problem").count() == 1
    message = tab.locator(".cx-problem").inner_text()
    assert "at most 2,000" in message and "`" not in message
    people.fill("800")
    people.press("Enter")
    # A model again, and the message gone.
    _reset_until(tab, "() => document.querySelector('.cx-day') && "
                 "!document.querySelector('.cx-problem')")

    # Presenting: the side panel collapsed, everything a class watches fits 1280x720.
    tab.locator(".v-app-bar__nav-icon").first.click()
    tab.wait_for_function("() => document.querySelector('.cx-network')"
                          ".getBoundingClientRect().width >= 380")
    for part in (".cx-toolbar button", ".cx-day", "img.cx-network", ".cx-legend",
                 ".cx-retention"):
        assert _in_view(tab, part), f"{part} is not entirely on screen at 1280x720"
    _step_to(tab, 3)
    tab.screenshot(path=str(tmp_path / "dashboard-presentation.png"))
    # Scrolled down to the other charts, the play controls stay on screen.
    tab.mouse.move(640, 400)
    tab.mouse.wheel(0, 800)
    tab.wait_for_function("() => document.querySelector('img.cx-network')"
                          ".getBoundingClientRect().bottom < 0")
    assert _in_view(tab, ".cx-toolbar button") and _in_view(tab, ".cx-day")
    tab.mouse.wheel(0, -800)
    # Play to the end of the run: the page says so (play is greyed out, not silently).
    tab.get_by_role("button", name="▶", exact=True).click()
    tab.wait_for_selector(".cx-over", timeout=60_000)
    assert f"Day {HORIZON} of {HORIZON}" in tab.inner_text(".cx-day")
    assert "press Reset" in tab.inner_text(".cx-over")
    assert tab.locator(".cx-play button").nth(1).is_disabled()  # ▶/❚❚, greyed at the end
    for name in ("dashboard-setup.png", "dashboard-presentation.png"):
        assert (tmp_path / name).stat().st_size > 10_000, name

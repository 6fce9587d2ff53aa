"""Serving the dashboard: the Solara server in a child process, stopped cleanly on Ctrl-C.

`python run.py dashboard` validates the scenario, then calls `serve`. The page module reads the
scenario from an environment variable (Solara imports it in the server process).
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from sim.dashboard.controls import SCENARIO_ENV
from sim.scenario.errors import UserError

APP = Path(__file__).with_name("app.py")
REPO = APP.parents[2]
LOOPBACK = ("127.0.0.1", "localhost", "::1")
STOP_SECONDS = 10
GRACE_SECONDS = 3  # after Ctrl-C, time for the server (which got it too) to finish alone


def check_installed() -> None:
    """Refuse with a clear message when the dashboard's extra dependencies are missing."""
    missing = [name for name in ("solara", "altair", "solara_assets")
               if importlib.util.find_spec(name) is None]
    if missing:
        raise UserError(f"the dashboard needs {', '.join(missing)}: install the dashboard extra "
                        "with `pip install -e '.[dashboard]'` (or run `make dashboard`)")


def check_free(host: str, port: int) -> int:
    """Refuse early, and clearly, an address the server could not listen on; return the port.

    Port 0 asks the system for a free port: the one it gives is returned, so that the address
    printed is the one served.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise UserError(f"--host {host}: not an address of this machine") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # As the server does: a port left in TIME_WAIT by the last session (restarting the
        # dashboard right after stopping it) is free to listen on; one in use is not.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise UserError(f"--host {host} --port {port}: cannot listen there ({exc.strerror}); "
                            "choose another port with --port") from None
        return probe.getsockname()[1]


def command(host: str, port: int) -> list[str]:
    """The Solara command line that serves the page."""
    return [sys.executable, "-m", "solara", "run", str(APP), "--host", host, "--port", str(port),
            "--production", "--no-check-version"]


def environment(scenario: Path | None) -> dict[str, str]:
    """The child's environment: the scenario, the repository on the path, no telemetry."""
    env = dict(os.environ)
    env[SCENARIO_ENV] = str(scenario.resolve()) if scenario else ""
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "false"  # a classroom tool does not phone home
    env["SOLARA_CHECK_HOOKS"] = "off"  # Mesa's SolaraViz trips Solara's hook linter
    env["SOLARA_THEME_SHOW_BANNER"] = "false"  # its "runs on Solara" badge covered the tables
    env.setdefault("PYTHONWARNINGS", "ignore:Cookies with samesite")
    return env


def serve(scenario: Path | None, host: str, port: int) -> int:
    """Serve the dashboard until Ctrl-C (or SIGTERM); returns the exit code."""
    check_installed()
    port = check_free(host, port)
    where = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    print(f"cxsim dashboard: open {where} in a browser (Ctrl-C stops it)", flush=True)
    if host not in LOOPBACK:
        print(f"warning: listening on {host}: other machines on the network can open the page",
              file=sys.stderr, flush=True)
    child = subprocess.Popen(command(host, port), env=environment(scenario), cwd=REPO)
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return child.wait()
    except _Stopped as stopped:
        # Ctrl-C in a terminal reaches the server as well; SIGTERM reaches only this process.
        stop(child, grace=GRACE_SECONDS if stopped.signum == signal.SIGINT else 0)
        print("dashboard stopped", flush=True)
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if child.poll() is None:
            stop(child)


def stop(child: subprocess.Popen, grace: float = GRACE_SECONDS) -> None:
    """Let the server shut down for `grace` seconds, ask it to (SIGTERM), then insist."""
    # SIGTERM is uvicorn's graceful shutdown and takes a fraction of a second; SIGINT goes
    # through Solara's prompt handling and takes about two.
    steps = ((lambda: None, grace), (child.terminate, STOP_SECONDS), (child.kill, STOP_SECONDS))
    for send, seconds in steps:
        if child.poll() is not None:
            return
        send()
        try:
            child.wait(seconds)
        except subprocess.TimeoutExpired:
            continue


class _Stopped(Exception):
    """SIGINT or SIGTERM arrived while serving."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _interrupt(signum, frame):
    raise _Stopped(signum)

"""Look at a report page the way an instructor does: in headless Chromium, through the DevTools protocol.

``view(page)`` opens a local HTML file in a fresh headless Chromium (its own
throw-away profile, no network services, no sandbox so it runs as root in a
container) and returns what a person would see: the section headings, the size
of every plot (SVG or image), the console errors, and a full-page screenshot.
With ``javascript=False`` the page is rendered with scripts disabled.

The protocol goes over ``--remote-debugging-pipe`` (file descriptors 3 and 4,
JSON messages ended by a NUL byte), so nothing listens on a port and nothing but
the standard library is needed. Chromium is Debian's ``chromium`` package
(``apt-get install -y chromium``; ``CHROMIUM=/path`` picks another binary).
"""

import base64
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
    "--remote-debugging-pipe",
]
WIDTH, HEIGHT = 1200, 900  # the window: a laptop screen
MAX_SHOT_HEIGHT = 8000  # a very long page is cut here in the screenshot (the checks still see all of it)


@dataclass
class PageView:
    headings: list[str]  # h1, h2, h3 text, in page order
    plots: list[tuple[float, float]]  # width, height in CSS pixels of every visible svg and img
    errors: list[str] = field(default_factory=list)  # console errors, uncaught exceptions, failed loads
    scripts: int = 0  # <script> elements on the page
    screenshot: bytes = b""  # PNG


class BrowserError(RuntimeError):
    pass


def find_chromium() -> str | None:
    """The Chromium binary: $CHROMIUM, else the first of chromium, chromium-browser, google-chrome on PATH."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    return next((p for n in ("chromium", "chromium-browser", "google-chrome") if (p := shutil.which(n))), None)


class _Pipe:
    """One DevTools session over the pipe: numbered commands, their replies, and the events seen meanwhile."""

    def __init__(self, process: subprocess.Popen, to_browser: int, from_browser: int, timeout: float):
        self.process, self.to_browser, self.from_browser = process, to_browser, from_browser
        self.deadline = time.monotonic() + timeout
        self.buffer = b""
        self.events: list[dict] = []
        self.next_id = 0

    def _read(self) -> dict:
        while b"\0" not in self.buffer:
            left = self.deadline - time.monotonic()
            if left <= 0 or not select.select([self.from_browser], [], [], left)[0]:
                raise BrowserError("Chromium did not answer in time")
            chunk = os.read(self.from_browser, 1 << 16)
            if not chunk:
                raise BrowserError(f"Chromium closed the pipe (exit status {self.process.poll()})")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, session: str | None = None, **params) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str) -> dict:
        for index, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(index)
        while True:
            event = self._read()
            if event.get("method") == method:
                return event
            self.events.append(event)


def _errors(events: list[dict]) -> list[str]:
    found = []
    for e in events:
        params = e.get("params", {})
        if e.get("method") == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            found.append(f"{details.get('text', 'uncaught')} {details.get('exception', {}).get('description', '')}")
        elif e.get("method") == "Runtime.consoleAPICalled" and params.get("type") == "error":
            found.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif e.get("method") == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            found.append(params["entry"].get("text", ""))
    return found


def _text(outer_html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", outer_html)).split())


def view(page: Path, *, javascript: bool = True, timeout: float = 60.0, chromium: str | None = None) -> PageView:
    """Render ``page`` in headless Chromium and report what is on screen (see the module docstring)."""
    binary = chromium or find_chromium()
    if not binary:
        raise BrowserError("Chromium is not installed (apt-get install -y chromium)")
    to_read, to_browser = os.pipe()  # Chromium reads commands on fd 3 ...
    from_browser, to_write = os.pipe()  # ... and writes replies on fd 4

    def plumb() -> None:
        os.dup2(to_read, 3)
        os.dup2(to_write, 4)

    with tempfile.TemporaryDirectory(prefix="llmuth-chromium-") as profile:
        command = [binary, *FLAGS, f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}", "about:blank"]
        try:
            process = subprocess.Popen(
                command,
                preexec_fn=plumb,
                pass_fds=(3, 4),  # what plumb() put there; close_fds shuts every other descriptor
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError as error:
            for fd in (to_read, to_browser, from_browser, to_write):
                os.close(fd)
            raise BrowserError(f"Chromium could not be started ({binary}): {error}") from error
        os.close(to_read)
        os.close(to_write)
        pipe = _Pipe(process, to_browser, from_browser, timeout)
        try:
            return _look(pipe, page.resolve().as_uri(), javascript)
        finally:
            try:
                pipe.send("Browser.close")
            except (BrowserError, OSError):
                pass
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            os.close(to_browser)
            os.close(from_browser)


def _look(pipe: _Pipe, url: str, javascript: bool) -> PageView:
    target = pipe.send("Target.createTarget", url="about:blank")["targetId"]
    session = pipe.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    for domain in ("Page", "Runtime", "Log", "DOM"):
        pipe.send(f"{domain}.enable", session)
    pipe.send(
        "Emulation.setDeviceMetricsOverride", session, width=WIDTH, height=HEIGHT, deviceScaleFactor=1, mobile=False
    )
    if not javascript:
        pipe.send("Emulation.setScriptExecutionDisabled", session, value=True)
    pipe.send("Page.navigate", session, url=url)
    pipe.wait_for("Page.loadEventFired")
    root = pipe.send("DOM.getDocument", session, depth=-1)["root"]["nodeId"]

    def select(selector: str) -> list[int]:
        return pipe.send("DOM.querySelectorAll", session, nodeId=root, selector=selector)["nodeIds"]

    headings = [_text(pipe.send("DOM.getOuterHTML", session, nodeId=n)["outerHTML"]) for n in select("h1, h2, h3")]
    plots = []
    for node in select("svg, img"):
        try:
            box = pipe.send("DOM.getBoxModel", session, nodeId=node)["model"]
        except BrowserError:  # not rendered (e.g. inside a closed <details>): a person does not see it either
            continue
        plots.append((float(box["width"]), float(box["height"])))
    scripts = len(select("script"))
    size = pipe.send("Page.getLayoutMetrics", session)["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], MAX_SHOT_HEIGHT), "scale": 1}
    shot = pipe.send("Page.captureScreenshot", session, format="png", captureBeyondViewport=True, clip=clip)
    return PageView(headings, plots, _errors(pipe.events), scripts, base64.b64decode(shot["data"]))


def screenshot(page: Path, png: Path) -> str:
    """Save a screenshot of ``page`` as ``png``; returns what happened, in words (never raises)."""
    try:
        png.write_bytes(view(page).screenshot)
    except (BrowserError, OSError) as error:
        return f"no screenshot of {page.name}: {error}"
    return f"screenshot of {page.name}: {png}"

"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

The Makefile installs chromium where it can and otherwise deselects this tier (-m "not browser"),
printing why; these fixtures never download a browser."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around
# it are ordinary synchronous calls, so Django's async-safety guard would be a false alarm here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    # Module scope: Playwright's sync API keeps an event loop running in this thread while it
    # is started, which would break async tests and async_to_sync calls that run afterwards.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page_maker(chromium, base_url: str):
    """Open pages in fresh browser contexts (separate cookies, as separate people)."""
    contexts = []

    def make(width: int = 1280, height: int = 900):
        context = chromium.new_context(
            base_url=base_url, viewport={"width": width, "height": height}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    return make, contexts


@pytest.fixture
def new_page(chromium, live_server):
    """Pages on pytest-django's live server (HTTP only)."""
    make, contexts = _page_maker(chromium, live_server.url)
    yield make
    for context in contexts:
        context.close()


def sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/")


class AsgiServer:
    """The project's ASGI application served by Uvicorn in a thread of the test process, so it
    shares the test database and the in-memory channel layer. It can be stopped and started
    again on the same port, to show what a browser does when the server goes away."""

    def __init__(self) -> None:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://localhost:{self.port}"
        self.server = None
        self.thread = None

    def start(self) -> None:
        import threading
        import time

        import uvicorn
        from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

        from hub.asgi import application

        config = uvicorn.Config(
            ASGIStaticFilesHandler(application),
            host="127.0.0.1",
            port=self.port,
            lifespan="off",
            log_level="warning",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the ASGI server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def asgi_server(transactional_db):
    server = AsgiServer()
    server.start()
    yield server
    if server.thread and server.thread.is_alive():
        server.stop()


@pytest.fixture
def live_page(chromium, asgi_server):
    """Pages on the project's ASGI application, WebSockets included."""
    make, contexts = _page_maker(chromium, asgi_server.url)
    yield make
    for context in contexts:
        context.close()

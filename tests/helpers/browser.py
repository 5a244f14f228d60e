"""Driving the page in headless Chromium: shared by the page's browser tests."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

needs_browser = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason="/usr/bin/chromium is missing (apt-get install chromium); "
           "browser tests run whenever it is there, and always in CI",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ask(page, question: str):
    """Type a question, press Enter, and return the new reply (waits for it)."""
    before = page.locator("#qa-chat .qa-reply").count()
    page.fill("#qa-question textarea", question)
    page.press("#qa-question textarea", "Enter")
    page.wait_for_function(f"document.querySelectorAll('#qa-chat .qa-reply').length > {before}", timeout=60_000)
    return page.locator("#qa-chat .qa-reply").last


def upload(page, path: Path, replace: bool = False):
    """Add a file from the side panel and return the upload report (waits for the index update)."""
    last_run = last_report(page)
    page.set_input_files("#qa-files input[type=file]", str(path))
    # Uploaded to the server once the file box offers it for download.
    page.wait_for_selector(f"#qa-files a[data-testid='download-link'][download='{path.name}']", timeout=30_000)
    if replace:
        page.check("#qa-replace input")
    page.click("#qa-add")
    return report_after(page, last_run)


def last_report(page) -> int:
    """The number of the latest upload/rebuild report shown (0 before the first)."""
    return page.evaluate("Number(document.querySelector('#qa-upload-result [data-run]')?.dataset.run || 0)")


def report_after(page, run: int):
    page.wait_for_function(
        f"Number(document.querySelector('#qa-upload-result [data-run]')?.dataset.run || 0) > {run}",
        timeout=120_000)
    return page.locator("#qa-upload-result")

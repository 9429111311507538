"""Print an HTML file to PDF with headless Chromium, the browser the app's tests already use.

Python has no PDF writer that reads print CSS the way a browser does, and the report is an HTML
page made to print; a browser prints it as the person would from the page.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_ENV = "POSECHECK_CHROMIUM"
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SECONDS = 120


class PdfError(RuntimeError):
    pass


def find_chromium() -> str | None:
    """$POSECHECK_CHROMIUM, else the first Chromium or Chrome on PATH."""
    given = os.environ.get(CHROMIUM_ENV)
    if given:
        return given if Path(given).exists() else None
    return next((found for found in map(shutil.which, NAMES) if found), None)


def print_to_pdf(html: Path, pdf: Path) -> None:
    chromium = find_chromium()
    if chromium is None:
        raise PdfError("--pdf needs Chromium (or Chrome) to print the page, and none was found: install it "
                       f"(Debian: apt-get install chromium) or set ${CHROMIUM_ENV}; the HTML file is written, "
                       "and any browser can print it to PDF.")
    pdf.unlink(missing_ok=True)  # so that a file there afterwards is this run's
    with tempfile.TemporaryDirectory(prefix="posecheck-chromium-") as profile:
        command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
                   "--no-pdf-header-footer", f"--print-to-pdf={pdf.resolve()}", html.resolve().as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=SECONDS)
        except subprocess.TimeoutExpired:
            raise PdfError(f"Chromium did not print {html} within {SECONDS} s") from None
    if done.returncode != 0 or not pdf.exists():
        raise PdfError(f"Chromium could not print {html} to {pdf}: {done.stderr.strip()[-300:]}")

"""Screenshots of the Dagster UI for the README, taken in a real headless Chromium.

Needs `pip install playwright` (the driver only; no browser download) and Debian's chromium
(`apt-get install chromium`). Start the UI first (`dagster dev -p 3000`), then:

    python docs/screenshots.py http://127.0.0.1:3000 docs/img
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PAGES = {
    "ui_lineage.png": "/asset-groups",
    "ui_daily_casualties.png": "/assets/daily_casualties",
    "ui_daily_casualties_events.png": "/assets/daily_casualties?view=events",
    "ui_checks.png": "/assets/daily_casualties?view=checks",
    "ui_automation.png": "/automation",
    "ui_runs.png": "/runs",
}


def main(base: str, out: str) -> None:
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        for name, path in PAGES.items():
            page.goto(base + path)
            page.wait_for_timeout(4000)
            skip = page.get_by_role("button", name="Skip")
            if skip.count():
                skip.first.click()
                page.wait_for_timeout(1000)
            page.screenshot(path=str(out_dir / name))
            print(out_dir / name)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:3000",
         sys.argv[2] if len(sys.argv) > 2 else "docs/img")

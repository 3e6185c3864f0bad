#!/usr/bin/python3
"""The search page in a real browser: starts findling-server --http on a small
German index, drives headless Chromium (chromedriver, Selenium) to type a
query, and checks the rendered hits, their <mark>s, the escaping of document
text, the "Meinten Sie" suggestion and the paging controls.

Run by ctest (tests/CMakeLists.txt). Exits 77 (ctest: skipped) when Chromium,
chromedriver or python3-selenium are missing (scripts/setup.sh installs them
with FINDLING_BROWSER_TESTS=1). Every wait is bounded; the whole run takes a
few seconds.

  search_page_test.py BUILD_DIR [--db DB] [--query Q] [--screenshot PNG]

With --db the page is shown over that index instead (the checks of hits and
marks still apply to --query); --screenshot saves the page after the search.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77

DOCS = [
    {"id": "d1", "title": "Die Straße nach München", "url": "https://example.org/d1",
     "date": "2024-03-01", "category": "verkehr",
     "text": "Die neue Straße verbindet Augsburg mit München. Der Bau der Straße dauerte drei Jahre."},
    {"id": "d2", "title": "<b>Fett</b> & Straßenbahn", "url": "https://example.org/d2",
     "date": "2024-06-15", "category": "verkehr",
     "text": "Die Straßenbahn fährt <script>alert(1)</script> durch die Straße am Rathaus."},
    {"id": "d3", "title": "Die Regierung plant ein Gesetz", "url": "https://example.org/d3",
     "date": "2024-07-01", "category": "politik",
     "text": "Die Regierung in Berlin legt ein Gesetz vor. Die Regierung will es rasch beschließen."},
]


def skip(why):
    print("SKIPPED: " + why)
    sys.exit(SKIP)


def find_browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or (
        "/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)
    if not chromium or not driver:
        skip("chromium and chromium-driver are not installed (FINDLING_BROWSER_TESTS=1 scripts/setup.sh)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        skip("python3-selenium is not installed (FINDLING_BROWSER_TESTS=1 scripts/setup.sh)")
    return chromium, driver


def start_server(build, db):
    server = subprocess.Popen(
        [os.path.join(build, "findling-server"), "--db", db, "--http", "127.0.0.1:0",
         "--threads", "1"],
        stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        line = server.stderr.readline()
        match = re.search(r"HTTP on (http://\S+)", line)
        if match:
            return server, match.group(1)
        if not line and server.poll() is not None:
            break
    server.kill()
    sys.exit("findling-server did not start")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("--db")
    parser.add_argument("--query", default="Straße")
    parser.add_argument("--screenshot")
    args = parser.parse_args()
    chromium, driver_path = find_browser()

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if not db:
            db = os.path.join(tmp, "db")
            docs = os.path.join(tmp, "docs.jsonl")
            with open(docs, "w", encoding="utf-8") as out:
                for doc in DOCS:
                    out.write(json.dumps(doc, ensure_ascii=False) + "\n")
            # Compound splitting needs the lexicon the build makes; without
            # it the index is built without (the server reads that from it).
            lexicon = os.path.join(args.build, "german-compounds.lex")
            split = [] if os.path.exists(lexicon) else ["--no-decompound"]
            os.environ.setdefault("FINDLING_LEXICON", lexicon)
            subprocess.run([os.path.join(args.build, "findling-index"), "--db", db, docs] + split,
                           check=True, timeout=60, stdout=subprocess.DEVNULL)
        server, url = start_server(args.build, db)
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=412,915", "--lang=de-DE"):  # a phone's viewport
            options.add_argument(flag)
        browser = webdriver.Chrome(service=Service(driver_path), options=options)
        failures = []

        def check(condition, what):
            if not condition:
                failures.append(what)

        try:
            browser.set_page_load_timeout(15)
            wait = WebDriverWait(browser, 10)
            browser.get(url)
            box = browser.find_element(By.ID, "q")
            box.send_keys(args.query, Keys.ENTER)
            wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".hit")))
            hits = browser.find_elements(By.CSS_SELECTOR, ".hit")
            titles = [h.find_element(By.CSS_SELECTOR, "h2 a").text for h in hits]
            marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, ".snippet mark")]
            print("hits:", titles)
            print("marks:", marks)
            check(len(hits) > 0, "no hits rendered")
            check(any(args.query.lower() in m.lower() for m in marks),
                  "no <mark> with the query word in a snippet: %r" % marks)
            status = browser.find_element(By.ID, "status").text
            check("Treffer" in status, "status line says %r" % status)
            if not args.db:
                check(titles[:1] == ["Die Straße nach München"] or "Die Straße nach München" in titles,
                      "the Straße article is missing: %r" % titles)
                # Document text is text, never markup.
                check("<b>Fett</b> & Straßenbahn" in titles, "title not shown literally: %r" % titles)
                check(not browser.find_elements(By.CSS_SELECTOR, ".hit h2 b, .snippet script"),
                      "document markup became elements")
                link = hits[0].find_element(By.CSS_SELECTOR, "h2 a").get_attribute("href")
                check(link.startswith("https://example.org/"), "title link is %r" % link)
                meta = hits[0].find_element(By.CSS_SELECTOR, ".meta").text
                check("verkehr" in meta and "2024-" in meta, "date and category missing: %r" % meta)
                # A misspelling: no hits, and "Meinten Sie Regierung?".
                box = browser.find_element(By.ID, "q")
                box.clear()
                box.send_keys("Regirung", Keys.ENTER)
                wait.until(ec.visibility_of_element_located((By.ID, "didyoumean")))
                suggestion = browser.find_element(By.ID, "suggestion").text
                check(suggestion == "Regierung", "suggestion is %r" % suggestion)
                browser.find_element(By.ID, "suggestion").click()
                wait.until(lambda b: "Regierung plant" in b.find_element(By.ID, "hits").text)
            if args.screenshot:
                browser.save_screenshot(args.screenshot)
        finally:
            browser.quit()
            server.terminate()
            server.wait(timeout=15)
        if failures:
            print("FAILED:\n  " + "\n  ".join(failures))
            return 1
        print("OK")
        return 0


if __name__ == "__main__":
    sys.exit(main())

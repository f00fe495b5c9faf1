"""The check every page of a browser journey passes: WCAG 2 A/AA by axe-core, nothing the
Content-Security-Policy refused (an inline script or style, a file from elsewhere), and on a
phone no sideways scrolling and tap targets of at least 44 px.

A watched page (`PageCheck.watch`) is checked once per document, when the journey first acts
on it or asserts on it after it has been parsed (a Playwright locator handler runs the check
before the action), or, failing that, as the journey leaves it by `goto`, `reload`,
`go_back` or `go_forward`, before it changes the viewport's size, and at the end of the test.
Content that htmx swaps in later is not checked again. What the check finds is collected and
fails the test at its end (conftest.py), one line per finding with the page's address. A
document the same as one this process has checked and passed (the same markup, the CSRF
token aside, in a window of the same size) is not checked again: only its
Content-Security-Policy refusals are read.

axe-core (npm, pinned in package.json) is copied into static/vendor/axe-core by
scripts/vendor.sh, read from there and given to the browser as an init script of the
watched page, which runs it in each top-level document before the document's own scripts
(the product's templates never load it and collectstatic leaves it out:
`tiaodu.core.staticfiles`). Chromium compiles an init script once per renderer process;
sending its half megabyte through the debugging protocol to each document checked cost
about 90 ms a page (docs/testing.md, "The page check").
"""

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Error, Page

ROOT = Path(__file__).resolve().parent.parent.parent
AXE = ROOT / "static" / "vendor" / "axe-core" / "axe.min.js"
# The success criteria of WCAG 2.0 and 2.1, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = ("serious", "critical")
# Below Bootstrap's `sm` breakpoint a page is laid out for a phone (PHONE is 390 px wide).
PHONE_MAX_WIDTH = 575
MIN_TARGET_HEIGHT = 44
# A document of the watched page, parsed (its deferred scripts run: htmx is listening) and
# not yet checked, carries this attribute on its <html>: the journey's next action or
# assertion on the page checks it first (a locator handler, which waits for the page's load
# before judging it), and the check takes it off. So no action reaches a page before its
# scripts do (typing into a search box htmx has not bound yet would send nothing).
UNCHECKED = "data-page-check-pending"
MARK_LOADED = f"""
if (window.top === window) addEventListener("DOMContentLoaded", () => {{
  if (document.contentType === "text/html" && !window.__pageChecked)
    document.documentElement.setAttribute("{UNCHECKED}", "");
}});
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {{
  window.__cspViolations.push(`${{event.effectiveDirective}} refused ${{event.blockedURI || "inline"}}`
    + (event.sourceFile ? ` (${{event.sourceFile}}:${{event.lineNumber}})` : "")
    + (event.sample ? ` “${{event.sample}}”` : ""));
}});
"""
# True once per document (an HTML page not checked yet); marks it checked.
TAKE_UNCHECKED = f"""() => {{
  document.documentElement.removeAttribute("{UNCHECKED}");
  if (document.contentType !== "text/html" || window.__pageChecked) return false;
  return window.__pageChecked = true;
}}"""

# A digest of what the check judges: the document's markup as the browser holds it now
# (the session's CSRF token taken out) and the window's size. Two documents with the same
# digest get the same answer from the check, which then runs once for them per process (the
# sign-in page is opened by nearly every journey). Content-Security-Policy refusals are
# events of each document, collected for every one.
DIGEST_SCRIPT = """
() => {
  const markup = document.documentElement.outerHTML
    .replace(/(name="csrfmiddlewaretoken" value=")[^"]*/g, "$1")
    .replace(/(X-CSRFToken&quot;: ?&quot;)[^&]*/g, "$1");
  const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
  return `${innerWidth}x${innerHeight}@${devicePixelRatio} ${dark}\n${markup}`;
}
"""
CSP_SCRIPT = "() => [...new Set(window.__cspViolations || [])]"
# Digests of the documents this process checked and found nothing on.
PASSED: set[str] = set()

# Runs in the page: axe, then the phone's two measures. Returns what fails.
CHECK_SCRIPT = """
async ({tags, impacts, phoneMaxWidth, minTarget}) => {
  const describe = (el) => {
    const parts = [];
    for (let node = el; node && node !== document.body && parts.length < 3;
         node = node.parentElement) {
      let part = node.tagName.toLowerCase();
      if (node.dataset.testid) part += `[data-testid="${node.dataset.testid}"]`;
      else if (node.id) part += `#${node.id}`;
      else if (node.classList.length) part += "." + [...node.classList].slice(0, 2).join(".");
      parts.unshift(part);
      if (node.dataset.testid || node.id) break;
    }
    return parts.join(" > ");
  };
  const text = (el) => (el.innerText || el.value || el.getAttribute("aria-label") || "")
    .replace(/\\s+/g, " ").trim().slice(0, 30);
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
  });
  const violations = results.violations.filter((v) => impacts.includes(v.impact)).map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => ({
      target: n.target.join(" "), summary: (n.failureSummary || "").replace(/\\s+/g, " "),
    })),
    more: Math.max(0, v.nodes.length - 5),
  }));
  const phone = window.innerWidth <= phoneMaxWidth;
  const csp = [...new Set(window.__cspViolations || [])];
  const found = {violations, phone, overflow: null, small: [], csp};
  if (!phone) return found;
  const main = [...document.querySelectorAll(".page-header, .page-body")];
  const width = document.documentElement.scrollWidth;
  if (width > window.innerWidth + 1) {
    // The outermost elements of the main content reaching past the right edge.
    const wide = [];
    for (const root of main) for (const el of root.querySelectorAll("*")) {
      const right = el.getBoundingClientRect().right;
      const parent = el.parentElement.getBoundingClientRect().right;
      if (right > window.innerWidth + 1 && parent <= window.innerWidth + 1) wide.push(
        `${describe(el)} (${Math.round(right)} px)`);
    }
    found.overflow = {scrollWidth: width, innerWidth: window.innerWidth, wide: wide.slice(0, 5)};
  }
  // Tap targets: links and buttons of the main content, except links that run in a line of
  // text (display: inline; a sentence, a table cell's text), which WCAG 2.5.8 exempts.
  const targets = "a[href], button, input[type=submit], input[type=button], input[type=reset], "
    + "[role=button], summary, label.btn";
  for (const root of main) for (const el of root.querySelectorAll(targets)) {
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    if (el.closest("[aria-hidden=true], .visually-hidden")) continue;
    const style = getComputedStyle(el);
    if (el.tagName === "A" && style.display === "inline") continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.height < minTarget - 0.5) found.small.push(
      `${describe(el)} "${text(el)}" ${Math.round(box.height)} px`);
  }
  return found;
}
"""


@dataclass
class PageCheck:
    """The findings of one test's pages, and the hooks that check them."""

    findings: list[str] = field(default_factory=list)
    pages_checked: list[str] = field(default_factory=list)
    _axe: str | None = None

    def watch(self, page: Page) -> Page:
        """Check each document of `page` before the journey acts on it or leaves it (see the
        module's doc)."""
        page.add_init_script(MARK_LOADED)
        page.add_init_script(f"if (window.top === window) {{\n{self.axe_source()}\n}}")
        page.add_locator_handler(
            page.locator(f"html[{UNCHECKED}]"), lambda _: self.check(page), no_wait_after=True
        )
        for name in ("goto", "reload", "go_back", "go_forward", "set_viewport_size"):
            setattr(page, name, self._checking_first(page, getattr(page, name)))
        return page

    def _checking_first(self, page: Page, method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def call(*args: Any, **kwargs: Any) -> Any:
            self.check(page)
            return method(*args, **kwargs)

        return call

    def check(self, page: Page) -> None:
        """Check the page's document now, unless it was checked already or is no HTML page."""
        url = page.url
        if page.is_closed() or not url.startswith("http"):
            return
        try:
            # A journey may leave a page (goto) as soon as what it asserted is in the DOM,
            # before the page's stylesheets have loaded: check the page as it is shown.
            page.wait_for_load_state("load")
            fresh = page.evaluate(TAKE_UNCHECKED)
            if not fresh:
                return
            digest = hashlib.sha256(page.evaluate(DIGEST_SCRIPT).encode()).hexdigest()
            if digest in PASSED:
                refused = page.evaluate(CSP_SCRIPT)
                self.pages_checked.append(url)
                self.findings.extend(f"{url}: Content-Security-Policy: {r}" for r in refused)
                return
            if not page.evaluate("() => typeof window.axe === 'object'"):
                # A document begun before the page was watched has no axe yet. Evaluated
                # through the browser's debugging protocol, which the page's
                # Content-Security-Policy does not govern (a <script> tag it would refuse).
                page.evaluate(f"() => {{ {self.axe_source()}\n}}")
            found = page.evaluate(
                CHECK_SCRIPT,
                {
                    "tags": AXE_TAGS,
                    "impacts": list(FAILING_IMPACTS),
                    "phoneMaxWidth": PHONE_MAX_WIDTH,
                    "minTarget": MIN_TARGET_HEIGHT,
                },
            )
        except Error as error:
            if "Execution context was destroyed" in str(error) or page.is_closed():
                return  # the page went on by itself (a script's redirect): nothing left to see
            self.findings.append(f"{url}: the page check could not run: {error.message}")
            return
        self.pages_checked.append(url)
        findings = describe_findings(url, found)
        if not findings:
            PASSED.add(digest)
        self.findings.extend(findings)

    def axe_source(self) -> str:
        if self._axe is None:
            if not AXE.exists():
                raise RuntimeError(
                    f"{AXE} is missing: `make install` copies axe-core into static/vendor."
                )
            self._axe = AXE.read_text(encoding="utf-8")
        return self._axe

    def report(self) -> str:
        """The findings as the failure message of the test."""
        return (
            f"{len(self.findings)} finding(s) of the page check "
            "(docs/testing.md, 'The page check'):\n" + "\n".join(self.findings)
        )


def describe_findings(url: str, found: dict[str, Any]) -> list[str]:
    """One line per finding: what, where (the element), on which page."""
    lines = []
    for violation in found["violations"]:
        for node in violation["nodes"]:
            lines.append(
                f"{url}: axe {violation['id']} ({violation['impact']}: {violation['help']}) "
                f"at {node['target']} — {node['summary']}"
            )
        if violation["more"]:
            lines.append(f"{url}: axe {violation['id']}: and {violation['more']} more element(s)")
    for refused in found.get("csp", []):
        lines.append(f"{url}: Content-Security-Policy: {refused}")
    overflow = found["overflow"]
    if overflow:
        lines.append(
            f"{url}: phone: the page scrolls sideways ({overflow['scrollWidth']} px wide in a "
            f"{overflow['innerWidth']} px window); too wide: {'; '.join(overflow['wide'])}"
        )
    for target in found["small"]:
        lines.append(f"{url}: phone: tap target under {MIN_TARGET_HEIGHT} px tall: {target}")
    return lines

"""The API documentation at /api/docs/ in a real Chromium: Swagger UI comes from our
own static files, runs under the site's Content-Security-Policy and lists the operations."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

# Recorded before any page script runs; init scripts are not subject to the page's CSP.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def test_api_docs_render_the_operations_without_csp_violations(desktop, live_server, screenshot):
    console = []
    requests = []
    desktop.on("console", lambda message: console.append(message.text))
    desktop.on("request", lambda request: requests.append(request.url))
    desktop.add_init_script(RECORD_VIOLATIONS)

    desktop.goto(f"{live_server.url}/api/docs/")

    operation = desktop.locator(".opblock-summary-path", has_text="/api/v1/programs/").first
    operation.wait_for(timeout=15000)
    desktop.get_by_role("heading", name="Internship Portal API").wait_for()
    summary = desktop.locator(".opblock-summary-description", has_text="List host organisations")
    assert summary.is_visible()
    screenshot(desktop, "api-docs")
    assert desktop.locator(".opblock").count() >= 25
    assert desktop.evaluate("window.__cspViolations") == []
    assert [text for text in console if "Content Security Policy" in text] == []
    assert [url for url in requests if not url.startswith(live_server.url)] == []

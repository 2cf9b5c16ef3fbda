"""A session's coarse client label, from its User-Agent: enough for a member to recognise their
own sessions ("Firefox on Linux"), too coarse to fingerprint anyone (no versions, no devices)."""

from __future__ import annotations

# Checked in order: several browsers name others in their User-Agent (Edge says Chrome and
# Safari, Chrome says Safari).
BROWSERS = (
    ("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
    ("CriOS/", "Chrome"), ("FxiOS/", "Firefox"), ("Safari/", "Safari"),
)
SYSTEMS = (
    ("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iOS"), ("Windows", "Windows"),
    ("Mac OS X", "macOS"), ("Macintosh", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"),
)
TOOLS = (("curl/", "curl"), ("python-httpx/", "Python (httpx)"), ("python-requests/", "Python (requests)"),
         ("Python-urllib/", "Python (urllib)"), ("node-fetch", "Node.js"), ("undici", "Node.js"),
         ("okhttp/", "Android app (OkHttp)"))
UNKNOWN = "Unknown client"


def client_label(user_agent: str | None) -> str:
    agent = user_agent or ""
    for marker, tool in TOOLS:
        if agent.startswith(marker) or f" {marker}" in agent:
            return tool
    browser = next((name for marker, name in BROWSERS if marker in agent), None)
    system = next((name for marker, name in SYSTEMS if marker in agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or UNKNOWN

"""scim2-tester (python-scim, Yaal Coop: a SCIM client and RFC 7643/7644 checker we did
not write) against a running identity-server's /scim2.

    python3 scim2_tester_check.py BASE_URL USERNAME PASSWORD

Prints one JSON object per check: {"status", "title", "resource", "reason"}; exits 0 once every check
ran (the Swift test decides which outcomes are acceptable).
"""
import json
import sys

import httpx2
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import check_server

base, username, password = sys.argv[1:4]
client = SyncSCIMClient(httpx2.Client(base_url=base.rstrip("/") + "/scim2", auth=(username, password), timeout=30))
for result in check_server(client):
    print(json.dumps({"status": result.status.name, "title": result.title, "resource": result.resource_type or "",
                      "reason": (result.reason or "")[:300]}))

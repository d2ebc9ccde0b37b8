"""A SAML 2.0 service provider written with pysaml2, signing in at the identity server.

    python3 pysaml2_sp.py SERVER_BASE_URL USERNAME PASSWORD

It reads the server's IdP metadata, sends an AuthnRequest (HTTP-Redirect), logs in at the
server's login page like a browser, and validates the Response the server posts back
(signatures from the metadata's keys, InResponseTo, audience, time). Exit 0 on success,
printing the NameID and attributes; 1 with the reason otherwise.
"""
import html
import re
import sys
import warnings

warnings.filterwarnings("ignore")

import requests
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.sigver import get_xmlsec_binary

ENTITY = "https://pysaml2-sp.example/sp"
ACS = "https://pysaml2-sp.example/acs"


def fail(message):
    print(f"pysaml2 SP: {message}", file=sys.stderr)
    sys.exit(1)


def field(page, name):
    match = re.search(r'name="%s" value="([^"]*)"' % re.escape(name), page)
    if not match:
        fail(f"no {name} field in: {page[:300]}")
    return html.unescape(match.group(1))


base, username, password = sys.argv[1], sys.argv[2], sys.argv[3]
metadata = requests.get(base + "/identity/metadata/saml2", timeout=10).text
config = SPConfig()
config.load({
    "entityid": ENTITY,
    "xmlsec_binary": get_xmlsec_binary(["/usr/bin", "/usr/local/bin"]),
    "metadata": {"inline": [metadata]},
    "accepted_time_diff": 60,
    "allow_unknown_attributes": True,
    "service": {"sp": {
        "endpoints": {"assertion_consumer_service": [(ACS, BINDING_HTTP_POST)]},
        "want_assertions_signed": True,
        "want_response_signed": True,
        "authn_requests_signed": False,
        "allow_unsolicited": False,
    }},
})
sp = Saml2Client(config=config)
idp_entity = next(iter(sp.metadata.identity_providers()))
request_id, info = sp.prepare_for_authenticate(entityid=idp_entity, relay_state="pysaml2-state", binding=BINDING_HTTP_REDIRECT)
location = dict(info["headers"])["Location"]

browser = requests.Session()
login = browser.get(location, timeout=10)
if "sessionDataKey" not in login.text:
    fail(f"no login page ({login.status_code}): {login.text[:300]}")
answer = browser.post(
    base + "/commonauth",
    data={"sessionDataKey": field(login.text, "sessionDataKey"), "csrf": field(login.text, "csrf"), "username": username, "password": password},
    timeout=10)
if "SAMLResponse" not in answer.text:
    fail(f"no SAMLResponse after login ({answer.status_code}): {answer.text[:300]}")
if field(answer.text, "RelayState") != "pysaml2-state":
    fail("RelayState was not returned unchanged")
response = sp.parse_authn_request_response(field(answer.text, "SAMLResponse"), BINDING_HTTP_POST, outstanding={request_id: "/"})
if response is None or response.in_response_to != request_id:
    fail("the Response does not answer our request")
print(f"NameID={response.name_id.text}")
for name, values in sorted(response.get_identity().items()):
    print(f"{name}={','.join(values)}")

"""A SAML 2.0 service provider written with pysaml2, signing in at the identity server.

    python3 pysaml2_sp.py SERVER_BASE_URL USERNAME PASSWORD [--logout KEY_FILE CERT_FILE]

It reads the server's IdP metadata, sends an AuthnRequest (HTTP-Redirect), logs in at the
server's login page like a browser, and validates the Response the server posts back
(signatures from the metadata's keys, InResponseTo, audience, time). Exit 0 on success,
printing the NameID and attributes; 1 with the reason otherwise.

With --logout it then logs out (SAML single logout, SP-initiated): a LogoutRequest signed
with KEY_FILE by HTTP-Redirect to the server's SingleLogoutService from the metadata, and
the LogoutResponse the server posts back validated (its signature, InResponseTo, status).
It then checks the server's session is gone: a new AuthnRequest meets the login page.
"""
# Calls wait up to 60 s. That is not a measure of speed: the server answers on the test
# process's concurrency pool, which the whole suite shares (two threads here).
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
SLO = "https://pysaml2-sp.example/slo"


def fail(message):
    print(f"pysaml2 SP: {message}", file=sys.stderr)
    sys.exit(1)


def field(page, name):
    match = re.search(r'name="%s" value="([^"]*)"' % re.escape(name), page)
    if not match:
        fail(f"no {name} field in: {page[:300]}")
    return html.unescape(match.group(1))


base, username, password = sys.argv[1], sys.argv[2], sys.argv[3]
logout = sys.argv[4:5] == ["--logout"]
metadata = requests.get(base + "/identity/metadata/saml2", timeout=60).text
settings = {
    "entityid": ENTITY,
    "xmlsec_binary": get_xmlsec_binary(["/usr/bin", "/usr/local/bin"]),
    "metadata": {"inline": [metadata]},
    "accepted_time_diff": 60,
    "allow_unknown_attributes": True,
    "service": {"sp": {
        "endpoints": {
            "assertion_consumer_service": [(ACS, BINDING_HTTP_POST)],
            "single_logout_service": [(SLO, BINDING_HTTP_POST)],
        },
        "want_assertions_signed": True,
        "want_response_signed": True,
        "authn_requests_signed": logout,
        "logout_requests_signed": logout,
        "allow_unsolicited": False,
    }},
}
if logout:
    settings["key_file"], settings["cert_file"] = sys.argv[5], sys.argv[6]
config = SPConfig()
config.load(settings)
sp = Saml2Client(config=config)
idp_entity = next(iter(sp.metadata.identity_providers()))
request_id, info = sp.prepare_for_authenticate(entityid=idp_entity, relay_state="pysaml2-state", binding=BINDING_HTTP_REDIRECT)
location = dict(info["headers"])["Location"]

browser = requests.Session()
login = browser.get(location, timeout=60)
if "sessionDataKey" not in login.text:
    fail(f"no login page ({login.status_code}): {login.text[:300]}")
answer = browser.post(
    base + "/commonauth",
    data={"sessionDataKey": field(login.text, "sessionDataKey"), "csrf": field(login.text, "csrf"), "username": username, "password": password},
    timeout=60)
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

if not logout:
    sys.exit(0)

# SP-initiated single logout, by HTTP-Redirect with a query signature.
results = sp.global_logout(response.name_id, reason="urn:oasis:names:tc:SAML:2.0:logout:user")
if idp_entity not in results:
    fail(f"pysaml2 sent no LogoutRequest to the server: {results}")
binding, http = results[idp_entity]
if binding != BINDING_HTTP_REDIRECT:
    fail(f"expected an HTTP-Redirect LogoutRequest, got {binding}")
answer = browser.get(dict(http["headers"])["Location"], timeout=60, allow_redirects=False)
if "SAMLResponse" not in answer.text:
    fail(f"no LogoutResponse from the server ({answer.status_code}): {answer.text[:300]}")
if not re.search(r'action="%s"' % re.escape(SLO), answer.text):
    fail("the LogoutResponse is not posted to the SP's SingleLogoutService")
outcome = sp.parse_logout_request_response(field(answer.text, "SAMLResponse"), BINDING_HTTP_POST)
if outcome is None:
    fail("pysaml2 refused the LogoutResponse")
if not outcome.response.signature:
    fail("the LogoutResponse is not signed")
status = outcome.response.status.status_code.value
print(f"LogoutResponse status={status.rsplit(':', 1)[-1]}")
sp.handle_logout_response(outcome)
if sp.users.subjects():
    fail("pysaml2 still holds a session after the LogoutResponse")
# The server's session ended: signing in again meets the login page.
request_id, info = sp.prepare_for_authenticate(entityid=idp_entity, relay_state="again", binding=BINDING_HTTP_REDIRECT)
again = browser.get(dict(info["headers"])["Location"], timeout=60)
if "sessionDataKey" not in again.text or "SAMLResponse" in again.text:
    fail("the server's session survived the logout")
print("logged out")

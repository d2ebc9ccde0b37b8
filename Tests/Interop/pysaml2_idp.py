"""A SAML 2.0 identity provider written with pysaml2 (an implementation we did not
write), used by PySAML2InteropTests as the identity server's federated SAML IdP.

    python3 pysaml2_idp.py SP_METADATA_FILE KEY_FILE CERT_FILE

It listens on a free loopback port, prints `READY <base URL>`, and answers AuthnRequests
(HTTP-Redirect at /sso) headlessly for one test user with a signed Response and assertion
posted back by an auto-submitting form. Its single logout service (/slo, HTTP-Redirect)
takes an SP's LogoutRequest — its query signature verified with the SP's certificate from
the metadata — and answers a signed LogoutResponse by HTTP-Redirect.

The SP metadata file is read at the first request, so a test may start this IdP before
the SP whose metadata names it.
"""
import sys
import warnings
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

warnings.filterwarnings("ignore")

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.saml import AUTHN_PASSWORD_PROTECTED, NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.sigver import get_xmlsec_binary
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

sp_metadata, key_file, cert_file = sys.argv[1], sys.argv[2], sys.argv[3]
class Handler(BaseHTTPRequestHandler):
    pass


server = HTTPServer(("127.0.0.1", 0), Handler)
base = f"http://127.0.0.1:{server.server_address[1]}"
SETTINGS = {
    "entityid": f"{base}/idp",
    "xmlsec_binary": get_xmlsec_binary(["/usr/bin", "/usr/local/bin"]),
    "key_file": key_file,
    "cert_file": cert_file,
    "metadata": {"local": [sp_metadata]},
    "accepted_time_diff": 60,
    "service": {"idp": {
        "endpoints": {
            "single_sign_on_service": [(f"{base}/sso", BINDING_HTTP_REDIRECT)],
            "single_logout_service": [(f"{base}/slo", BINDING_HTTP_REDIRECT)],
        },
        "name_id_format": [NAMEID_FORMAT_PERSISTENT],
        "want_authn_requests_signed": False,
        # pysaml2 reads the algorithms per service; at the top level they are ignored.
        "signing_algorithm": SIG_RSA_SHA256,
        "digest_algorithm": DIGEST_SHA256,
        "policy": {"default": {"lifetime": {"minutes": 5}, "attribute_restrictions": None, "name_form": NAME_FORMAT_URI}},
    }},
}
_idp = []


def identity_provider():
    if not _idp:
        config = IdPConfig()
        config.load(SETTINGS)
        _idp.append(Server(config=config))
    return _idp[0]


USER = {"mail": ["ines@pysaml2.example"], "givenName": ["Ines"], "sn": ["Ibarra"]}


class Answer(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/slo" and "SAMLRequest" in query:
            self.logout(query)
            return
        if url.path != "/sso" or "SAMLRequest" not in query:
            self.send_error(404)
            return
        idp = identity_provider()
        request = idp.parse_authn_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT)
        args = idp.response_args(request.message, [BINDING_HTTP_POST])
        response = idp.create_authn_response(
            USER, args["in_response_to"], args["destination"], args["sp_entity_id"], userid="ines",
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text="ines-7781", sp_name_qualifier=args["sp_entity_id"]),
            authn={"class_ref": AUTHN_PASSWORD_PROTECTED, "authn_auth": base},
            sign_assertion=True, sign_response=True)
        http = idp.apply_binding(BINDING_HTTP_POST, str(response), args["destination"], query.get("RelayState", ""), response=True)
        body = http["data"].encode() if isinstance(http["data"], str) else http["data"]
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


    def logout(self, query):
        server = identity_provider()
        if "Signature" not in query:
            self.send_error(403, "unsigned LogoutRequest")
            return
        # pysaml2 checks the query signature with the sender's metadata certificate and
        # raises when it does not verify.
        request = server.parse_logout_request(
            query["SAMLRequest"], BINDING_HTTP_REDIRECT, relay_state=query.get("RelayState"), sigalg=query["SigAlg"],
            signature=query["Signature"])
        response = server.create_logout_response(request.message, [BINDING_HTTP_REDIRECT])
        binding, destination = server.pick_binding("single_logout_service", [BINDING_HTTP_REDIRECT], "spsso", request)
        http = server.apply_binding(
            binding, str(response), destination, query.get("RelayState", ""), response=True, sign=True, sigalg=SIG_RSA_SHA256)
        self.send_response(302)
        self.send_header("Location", dict(http["headers"])["Location"])
        self.send_header("Content-Length", "0")
        self.end_headers()


server.RequestHandlerClass = Answer
print(f"READY {base}", flush=True)
server.serve_forever()

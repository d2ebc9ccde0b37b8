"""An independent client of the JWT bearer grant (RFC 7523), built on authlib, against our server.

Usage: python3 authlib_jwt_bearer.py BASE_URL CLIENT_ID CLIENT_SECRET ISSUER JWKS_URL KEY_PEM SUBJECT

authlib's AssertionSession signs the assertion (RS256, with the identity provider's key
and the kid its JWKS publishes, jti set) and presents it at the token endpoint with HTTP
Basic client authentication. The ID token is validated with authlib's JWKS handling, the
access token used at userinfo, and the same assertion presented again must be refused
with invalid_grant. Exits non-zero on the first thing that is not as expected.
"""
# Calls wait up to 60 s. That is not a measure of speed: the server answers on the test
# process's concurrency pool, which the whole suite shares (two threads here).
import sys

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import AssertionSession
from authlib.jose import JsonWebKey, jwt
from authlib.oauth2.base import OAuth2Error


def fail(message):
    print(f"authlib JWT bearer: {message}", file=sys.stderr)
    sys.exit(1)


def main(base, client_id, secret, issuer, jwks_url, key_file, subject):
    discovery = requests.get(base + "/.well-known/openid-configuration", timeout=60).json()
    grant = "urn:ietf:params:oauth:grant-type:jwt-bearer"
    if grant not in discovery["grant_types_supported"]:
        fail(f"discovery does not announce {grant}")
    token_endpoint = discovery["token_endpoint"]
    idp_keys = requests.get(jwks_url, timeout=60).json()["keys"]
    kid = next(k["kid"] for k in idp_keys if k.get("alg") == "RS256")
    with open(key_file) as f:
        key = f.read()

    session = AssertionSession(
        token_endpoint, issuer=issuer, subject=subject, audience=token_endpoint, key=key,
        header={"alg": "RS256", "kid": kid}, claims={"jti": generate_token(24)}, scope="openid email")
    session.auth = (client_id, secret)
    token = session.refresh_token()
    if "access_token" not in token or "id_token" not in token:
        fail(f"the token response lacks access_token or id_token: {sorted(token)}")
    if "refresh_token" in token:
        fail("a bearer assertion grant should not hand out a refresh token")

    server_keys = JsonWebKey.import_key_set(requests.get(discovery["jwks_uri"], timeout=60).json())
    claims = jwt.decode(token["id_token"], server_keys, claims_options={
        "iss": {"essential": True, "value": discovery["issuer"]}, "aud": {"essential": True, "value": client_id}})
    claims.validate()
    info = requests.get(discovery["userinfo_endpoint"], headers={"Authorization": "Bearer " + token["access_token"]}, timeout=60)
    if info.status_code != 200 or info.json().get("sub") != claims["sub"]:
        fail(f"userinfo answered {info.status_code} {info.text}")

    # The same signed assertion (same jti) a second time.
    try:
        session.refresh_token()
    except OAuth2Error as error:
        if error.error != "invalid_grant":
            fail(f"a replayed assertion was refused with {error.error}, not invalid_grant")
    else:
        fail("a replayed assertion was accepted")
    print(f"authlib JWT bearer: tokens for {claims['sub']}; replay refused")


if __name__ == "__main__":
    if len(sys.argv) != 8:
        fail(__doc__)
    main(*sys.argv[1:])

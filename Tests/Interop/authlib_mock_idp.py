"""authlib, a client we did not write, against the generic mock OpenID Provider: every grant.

Usage: python3 authlib_mock_idp.py ISSUER KEY_PEM

ISSUER is the mock's issuer URL (the developer profile, Mocks/idps/developer.yaml, which takes
any client); KEY_PEM its signing key, with which authlib signs a JWT bearer assertion as the
issuer itself would. Each step is authlib's own client code where authlib has it
(OAuth2Session, AssertionSession, authlib.jose for every JWT) and plain requests where it
does not (the device authorization request, the person's approval). Exits non-zero on the
first thing that is not as expected.
"""
# Calls wait up to 60 s. That is not a measure of speed: the server answers on the test
# process's concurrency pool, which the whole suite shares (two threads here).
import re
import sys

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import AssertionSession, OAuth2Session
from authlib.jose import JsonWebKey, jwt

EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
DEVICE = "urn:ietf:params:oauth:grant-type:device_code"
ACCESS = "urn:ietf:params:oauth:token-type:access_token"


def fail(message):
    print(f"authlib against mock-idp: {message}", file=sys.stderr)
    sys.exit(1)


def expect(condition, message):
    if not condition:
        fail(message)


def main(issuer, key_file):
    discovery = requests.get(issuer + "/.well-known/openid-configuration", timeout=60).json()
    for grant in ["authorization_code", "refresh_token", "client_credentials", "password", DEVICE, EXCHANGE,
                  "urn:ietf:params:oauth:grant-type:jwt-bearer"]:
        expect(grant in discovery["grant_types_supported"], f"discovery does not announce {grant}")
    token_endpoint = discovery["token_endpoint"]
    keys = JsonWebKey.import_key_set(requests.get(discovery["jwks_uri"], timeout=60).json())

    def id_claims_of(token, audience):
        """An ID token, checked by authlib.jose: signature, iss, aud and exp."""
        claims = jwt.decode(token, keys, claims_options={
            "iss": {"essential": True, "value": issuer}, "aud": {"essential": True, "value": audience}, "exp": {"essential": True}})
        claims.validate()
        return claims

    def access_claims(token, audience):
        """An RFC 9068 access token, checked by authlib.jose with the JWKS alone."""
        header = jwt.decode(token, keys).header
        expect(header.get("typ") == "at+jwt", f"access token typ is {header.get('typ')}")
        claims = jwt.decode(token, keys, claims_options={
            "iss": {"essential": True, "value": issuer}, "aud": {"essential": True, "value": audience}, "exp": {"essential": True}})
        claims.validate()
        return claims

    # client_credentials, with a client the mock was never told about.
    app = OAuth2Session("authlib-app", "any-secret", scope="orders:read")
    token = app.fetch_token(token_endpoint, grant_type="client_credentials", resource="orders-api")
    claims = access_claims(token["access_token"], "orders-api")
    expect(claims["sub"] == "authlib-app" and claims["scope"] == "orders:read", f"client_credentials claims {dict(claims)}")

    # The code flow with PKCE and a nonce; login_hint signs alice in with no page.
    redirect = "http://127.0.0.1:9/authlib/callback"
    web = OAuth2Session("authlib-web", "web-secret", scope="openid email offline_access", redirect_uri=redirect,
                        code_challenge_method="S256")
    verifier, nonce = generate_token(48), generate_token(20)
    url, state = web.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier, nonce=nonce, login_hint="alice")
    answer = requests.get(url, allow_redirects=False, timeout=60)
    expect(answer.status_code == 302, f"authorize answered {answer.status_code}")
    token = web.fetch_token(token_endpoint, authorization_response=answer.headers["Location"], code_verifier=verifier)
    id_claims = jwt.decode(token["id_token"], keys, claims_options={
        "iss": {"essential": True, "value": issuer}, "aud": {"essential": True, "value": "authlib-web"},
        "nonce": {"essential": True, "value": nonce}})
    id_claims.validate()
    expect(id_claims["sub"] == "dev-alice" and id_claims["email"] == "alice@example.com", f"ID token {dict(id_claims)}")
    userinfo = web.get(discovery["userinfo_endpoint"]).json()
    expect(userinfo.get("sub") == "dev-alice", f"userinfo {userinfo}")
    refreshed = web.refresh_token(token_endpoint, refresh_token=token["refresh_token"])
    expect(refreshed["refresh_token"] != token["refresh_token"], "the developer provider rotates refresh tokens")

    # password
    legacy = OAuth2Session("authlib-legacy", "legacy-secret", scope="openid")
    token = legacy.fetch_token(token_endpoint, username="bob", password="whatever")
    expect(id_claims_of(token["id_token"], "authlib-legacy")["sub"] == "dev-bob", "password grant ID token")

    # The device grant: the device asks, the person approves at the verification page.
    device = requests.post(discovery["device_authorization_endpoint"], data={"client_id": "authlib-tv", "scope": "openid"}, timeout=60).json()
    tv = OAuth2Session("authlib-tv", scope="openid", token_endpoint_auth_method="none")
    pending = requests.post(token_endpoint, data={"grant_type": DEVICE, "device_code": device["device_code"], "client_id": "authlib-tv"}, timeout=60)
    expect(pending.status_code == 400 and pending.json()["error"] == "authorization_pending", f"before approval: {pending.text}")
    page = requests.get(device["verification_uri_complete"], timeout=60).text
    request_id = re.search(r'name="request" value="([^"]+)"', page).group(1)
    base = issuer.rsplit("/", 1)[0]
    requests.post(base + "/_mock/login", data={"request": request_id, "user": "alice"}, timeout=60)
    token = tv.fetch_token(token_endpoint, grant_type=DEVICE, device_code=device["device_code"], client_id="authlib-tv")
    expect(id_claims_of(token["id_token"], "authlib-tv")["sub"] == "dev-alice", "device grant ID token")

    # Token exchange: the gateway acts for alice towards the orders API.
    gateway = OAuth2Session("authlib-gateway", "gateway-secret")
    exchanged = gateway.fetch_token(token_endpoint, grant_type=EXCHANGE, subject_token=token["access_token"], subject_token_type=ACCESS,
                                    audience="orders-api", scope="openid")
    expect(exchanged.get("issued_token_type") == ACCESS, f"exchange answer {dict(exchanged)}")
    claims = access_claims(exchanged["access_token"], "orders-api")
    expect(claims["sub"] == "dev-alice" and claims["client_id"] == "authlib-gateway", f"exchanged claims {dict(claims)}")

    # JWT bearer: authlib signs the assertion with the issuer's key, as the issuer would.
    with open(key_file) as f:
        key = f.read()
    kid = next(k["kid"] for k in requests.get(discovery["jwks_uri"], timeout=60).json()["keys"] if k.get("alg") == "RS256")
    assertion = AssertionSession(token_endpoint, issuer=issuer, subject="bob", audience=token_endpoint, key=key,
                                 header={"alg": "RS256", "kid": kid}, claims={"jti": generate_token(24)}, scope="openid")
    assertion.auth = ("authlib-batch", "batch-secret")
    token = assertion.refresh_token()
    expect(id_claims_of(token["id_token"], "authlib-batch")["sub"] == "dev-bob", "JWT bearer ID token")

    # Introspection and revocation of the client's own token.
    token = app.fetch_token(token_endpoint, grant_type="client_credentials")
    introspect = lambda: requests.post(discovery["introspection_endpoint"], data={"token": token["access_token"]},
                                       auth=("authlib-app", "any-secret"), timeout=60).json()
    expect(introspect().get("active") is True, "introspection of a live token")
    app.revoke_token(discovery["revocation_endpoint"], token=token["access_token"])
    expect(introspect().get("active") is False, "introspection after revocation")
    print("authlib against mock-idp: every grant passed")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        fail(__doc__)
    main(*sys.argv[1:])

"""An independent OpenID Connect relying party, built on authlib, against our server.

Usage: python3 authlib_rp.py BASE_URL CLIENT_ID CLIENT_SECRET REDIRECT_URI USERNAME PASSWORD

A confidential client with PKCE (S256): discovery, the authorization request, the
server's own login form (driven like a browser), the code exchange, ID-token validation
with authlib's JWKS handling (signature, iss, aud, nonce, exp/iat), userinfo, and a
refresh that must rotate the refresh token. Exits non-zero on the first thing that is
not as a relying party expects.
"""
# Calls wait up to 60 s. That is not a measure of speed: the server answers on the test
# process's concurrency pool, which the whole suite shares (two threads here).
import re
import sys
import urllib.parse

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt


def fail(message):
    print(f"authlib RP: {message}", file=sys.stderr)
    sys.exit(1)


def hidden(html, name):
    match = re.search(r'name="%s" value="([^"]*)"' % re.escape(name), html)
    if not match:
        fail(f"the login page has no {name} field")
    return match.group(1)


def main(base, client_id, secret, redirect_uri, username, password):
    discovery = requests.get(base + "/.well-known/openid-configuration", timeout=60).json()
    if discovery["issuer"] != base:
        fail(f"issuer {discovery['issuer']} is not {base}")

    client = OAuth2Session(
        client_id, secret, scope="openid email profile", redirect_uri=redirect_uri,
        code_challenge_method="S256", token_endpoint_auth_method="client_secret_basic")
    verifier = generate_token(64)
    nonce = generate_token(24)
    url, state = client.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier, nonce=nonce)

    # The browser part: follow the server to its login form and submit it.
    browser = requests.Session()
    response = browser.get(url, allow_redirects=False, timeout=60)
    if response.status_code != 302:
        fail(f"authorize answered {response.status_code}: {response.text[:200]}")
    login_page = browser.get(urllib.parse.urljoin(base, response.headers["Location"]), timeout=60)
    response = browser.post(
        base + "/commonauth",
        data={
            "sessionDataKey": hidden(login_page.text, "sessionDataKey"), "csrf": hidden(login_page.text, "csrf"),
            "username": username, "password": password,
        },
        allow_redirects=False, timeout=60)
    if response.status_code == 200 and "/authenticationendpoint/consent" in response.text:
        # The server asks the user to consent to the released claims: allow all of them.
        fields = {
            "sessionDataKey": hidden(response.text, "sessionDataKey"), "csrf": hidden(response.text, "csrf"),
            "decision": "approve",
        }
        for claim in re.findall(r'type="checkbox" name="([^"]+)" value="on" checked>', response.text):
            fields[claim] = "on"
        response = browser.post(base + "/authenticationendpoint/consent", data=fields, allow_redirects=False, timeout=60)
    callback = response.headers.get("Location", "")
    if not callback.startswith(redirect_uri):
        fail(f"login did not redirect to the client: {response.status_code} {callback}")

    # authlib checks state, exchanges the code with the verifier and client_secret_basic.
    token = client.fetch_token(discovery["token_endpoint"], authorization_response=callback, code_verifier=verifier)
    if token.get("token_type", "").lower() != "bearer" or "id_token" not in token or "refresh_token" not in token:
        fail(f"unexpected token response: {sorted(token)}")

    keys = JsonWebKey.import_key_set(requests.get(discovery["jwks_uri"], timeout=60).json())
    claims = jwt.decode(
        token["id_token"], keys,
        claims_options={
            "iss": {"essential": True, "value": base},
            "aud": {"essential": True, "value": client_id},
            "nonce": {"essential": True, "value": nonce},
            "sub": {"essential": True},
        })
    claims.validate(leeway=60)
    if claims["sub"] != username:
        fail(f"sub is {claims['sub']}, not {username}")

    userinfo = client.get(discovery["userinfo_endpoint"], timeout=60).json()
    if userinfo.get("sub") != claims["sub"] or "email" not in userinfo:
        fail(f"userinfo is {userinfo}")

    refreshed = client.refresh_token(discovery["token_endpoint"], refresh_token=token["refresh_token"])
    if refreshed.get("refresh_token") in (None, token["refresh_token"]):
        fail("the refresh token was not rotated")
    print(f"authlib RP: ok (sub={claims['sub']}, alg={keys.find_by_kid(jwt_header(token['id_token'])['kid']).as_dict().get('alg')})")


def jwt_header(token):
    import base64
    import json
    segment = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


if __name__ == "__main__":
    if len(sys.argv) != 7:
        fail(__doc__.strip().splitlines()[2])
    main(*sys.argv[1:])

#!/usr/bin/env python3
"""Lab client: drives SimpleSAMLphp 1.19 IdP SSO over HTTP-Redirect with python requests.

usage: client.py [--issuer X] [--acs URL] [--dest URL] [--sign] [--user alice --password alicepass]
                 [--idp-init] [--nameid-format F] [--dump-dir DIR] [--no-login]
"""
import argparse, base64, datetime, html, os, re, secrets, sys, urllib.parse, zlib
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
import requests

BASE = os.environ.get("SSP_BASE", "http://127.0.0.1:8080/simplesaml")
LAB = os.environ.get("SSP_LAB_DIR", "/tmp/ssp-lab")
NS = {"samlp": "urn:oasis:names:tc:SAML:2.0:protocol", "saml": "urn:oasis:names:tc:SAML:2.0:assertion",
      "ds": "http://www.w3.org/2000/09/xmldsig#"}


class Forms(HTMLParser):
    def __init__(self):
        super().__init__(); self.forms = []; self.title = None; self._t = False; self.cur = None
    def handle_starttag(self, tag, a):
        a = dict(a)
        if tag == "title": self._t = True
        if tag == "form":
            self.cur = {"action": a.get("action"), "method": a.get("method"), "id": a.get("id"), "name": a.get("name"), "inputs": []}
            self.forms.append(self.cur)
        if tag in ("input", "button", "select") and self.cur is not None:
            self.cur["inputs"].append({"tag": tag, **{k: a.get(k) for k in ("type", "name", "id", "value") if k in a}})
    def handle_endtag(self, tag):
        if tag == "title": self._t = False
        if tag == "form": self.cur = None
    def handle_data(self, d):
        if self._t: self.title = (self.title or "") + d


def parse(text):
    p = Forms(); p.feed(text); return p


def authn_request(issuer, acs, dest, nameid_format=None, force=False):
    rid = "_" + secrets.token_hex(16)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    nip = f'<samlp:NameIDPolicy Format="{nameid_format}" AllowCreate="true"/>' if nameid_format else ""
    d = f' Destination="{dest}"' if dest else ""
    acs_attr = f' AssertionConsumerServiceURL="{acs}"' if acs else ""
    fa = ' ForceAuthn="true"' if force else ""
    xml = (f'<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
           f'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{rid}" Version="2.0" IssueInstant="{now}"{d}{fa} '
           f'ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"{acs_attr}>'
           f'<saml:Issuer>{issuer}</saml:Issuer>{nip}</samlp:AuthnRequest>')
    return rid, xml


def redirect_query(xml, relay_state=None, sign_key=None, sha1=False):
    raw = zlib.compress(xml.encode())[2:-4]  # raw DEFLATE
    q = "SAMLRequest=" + urllib.parse.quote_plus(base64.b64encode(raw).decode())
    if relay_state is not None:
        q += "&RelayState=" + urllib.parse.quote_plus(relay_state)
    if sign_key:
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding
        key = serialization.load_pem_private_key(open(sign_key, "rb").read(), None)
        alg = "http://www.w3.org/2000/09/xmldsig#rsa-sha1" if sha1 else "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
        q += "&SigAlg=" + urllib.parse.quote_plus(alg)
        sig = key.sign(q.encode(), padding.PKCS1v15(), hashes.SHA1() if sha1 else hashes.SHA256())
        q += "&Signature=" + urllib.parse.quote_plus(base64.b64encode(sig).decode())
    return q


def summarize_response(b64):
    xml = base64.b64decode(b64)
    root = ET.fromstring(xml)
    out = {"Response.ID": root.get("ID"), "IssueInstant": root.get("IssueInstant"), "Destination": root.get("Destination"),
           "InResponseTo": root.get("InResponseTo"),
           "Status": [e.get("Value") for e in root.iter("{%s}StatusCode" % NS["samlp"])],
           "Response signed": root.find("ds:Signature", NS) is not None}
    a = root.find("saml:Assertion", NS)
    if a is not None:
        out["Assertion.ID"] = a.get("ID"); out["Assertion.IssueInstant"] = a.get("IssueInstant")
        out["Assertion signed"] = a.find("ds:Signature", NS) is not None
        nid = a.find("saml:Subject/saml:NameID", NS)
        out["NameID"] = (nid.get("Format"), nid.get("SPNameQualifier"), nid.text) if nid is not None else None
        scd = a.find("saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData", NS)
        out["SubjectConfirmationData"] = dict(scd.attrib) if scd is not None else None
        c = a.find("saml:Conditions", NS)
        out["Conditions"] = dict(c.attrib) if c is not None else None
        out["Audience"] = [x.text for x in a.iter("{%s}Audience" % NS["saml"])]
        st = a.find("saml:AuthnStatement", NS)
        out["AuthnStatement"] = dict(st.attrib) if st is not None else None
        out["AuthnContextClassRef"] = [x.text for x in a.iter("{%s}AuthnContextClassRef" % NS["saml"])]
        out["Attributes"] = [(x.get("Name"), x.get("NameFormat"), [v.text for v in x.findall("saml:AttributeValue", NS)])
                             for x in a.iter("{%s}Attribute" % NS["saml"])]
        for s in root.iter("{%s}SignatureMethod" % NS["ds"]): out.setdefault("SignatureMethod", []).append(s.get("Algorithm"))
        for s in root.iter("{%s}DigestMethod" % NS["ds"]): out.setdefault("DigestMethod", []).append(s.get("Algorithm"))
    enc = root.find("saml:EncryptedAssertion", NS)
    if enc is not None: out["EncryptedAssertion"] = True
    return xml, out


def show_page(tag, r):
    p = parse(r.text)
    print(f"[{tag}] {r.request.method} {r.url} -> HTTP {r.status_code}; title={p.title!r}")
    for f in p.forms:
        print(f"   form action={f['action']!r} method={f['method']!r} id={f['id']!r}")
        for i in f["inputs"]:
            v = i.get("value")
            if v and len(v) > 60: i = {**i, "value": v[:40] + "...(%d chars)" % len(v)}
            print("     ", i)
    return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--issuer", default="travelocity.com")
    ap.add_argument("--acs", default="http://127.0.0.1:8081/acs")
    ap.add_argument("--no-acs", action="store_true")
    ap.add_argument("--dest", default=BASE + "/saml2/idp/SSOService.php")
    ap.add_argument("--no-dest", action="store_true")
    ap.add_argument("--sign", action="store_true")
    ap.add_argument("--sha1", action="store_true")
    ap.add_argument("--post-binding", action="store_true")
    ap.add_argument("--sign-key", default=LAB + "/cert/sp.key")
    ap.add_argument("--user", default="alice"); ap.add_argument("--password", default="alicepass")
    ap.add_argument("--idp-init", action="store_true")
    ap.add_argument("--relay-state", default="rs-123")
    ap.add_argument("--nameid-format")
    ap.add_argument("--consent", choices=["yes", "no"], default="yes")
    ap.add_argument("--dump-dir")
    ap.add_argument("--no-login", action="store_true")
    a = ap.parse_args()

    s = requests.Session()
    if a.idp_init:
        url = BASE + "/saml2/idp/SSOService.php?" + urllib.parse.urlencode({"spentityid": a.issuer, "RelayState": a.relay_state})
    else:
        rid, xml = authn_request(a.issuer, None if a.no_acs else a.acs, None if a.no_dest else a.dest, a.nameid_format)
        print("AuthnRequest ID", rid)
        url = BASE + "/saml2/idp/SSOService.php?" + redirect_query(xml, a.relay_state, a.sign_key if a.sign else None, a.sha1)
    if a.post_binding and not a.idp_init:  # unsigned HTTP-POST binding AuthnRequest
        r = s.post(BASE + "/saml2/idp/SSOService.php", data={"SAMLRequest": base64.b64encode(xml.encode()).decode(), "RelayState": a.relay_state}, allow_redirects=False)
    else:
        r = s.get(url, allow_redirects=False)
    hops = 0
    while r.is_redirect and hops < 10:
        print(f"[redirect] HTTP {r.status_code} Location: {r.headers['Location'][:160]}")
        r = s.get(urllib.parse.urljoin(r.url, r.headers["Location"]), allow_redirects=False); hops += 1
    p = show_page("page1", r)
    if a.dump_dir:
        os.makedirs(a.dump_dir, exist_ok=True); open(os.path.join(a.dump_dir, "page1.html"), "w").write(r.text)
    if r.status_code != 200 or a.no_login:
        txt = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r.text))
        print("   text:", txt[:900]); return
    login = next((f for f in p.forms if any(i.get("name") == "password" for i in f["inputs"])), None)
    if login:
        data = {i["name"]: i.get("value", "") for i in login["inputs"] if i.get("name") and i.get("type") in ("hidden",)}
        data.update({"username": a.user, "password": a.password})
        action = urllib.parse.urljoin(r.url, html.unescape(login["action"] or r.url))
        print("POST login to", action, "fields", sorted(data))
        r = s.post(action, data=data, allow_redirects=False)
        while r.is_redirect:
            print(f"[redirect] HTTP {r.status_code} Location: {r.headers['Location'][:160]}")
            r = s.get(urllib.parse.urljoin(r.url, r.headers["Location"]), allow_redirects=False)
        p = show_page("page2", r)
        if a.dump_dir: open(os.path.join(a.dump_dir, "page2.html"), "w").write(r.text)
    # consent page?
    cf = next((f for f in p.forms if f["id"] == "consent_yes"), None)
    if cf:
        # consent forms have no method attribute => browsers submit them with GET
        target = cf if a.consent == "yes" else next(f for f in p.forms if f["id"] == "consent_no")
        data = {i["name"]: i.get("value", "") for i in target["inputs"] if i.get("name")}
        print("GET consent", target["action"], sorted(data))
        r = s.get(urllib.parse.urljoin(r.url, html.unescape(target["action"])), params=data, allow_redirects=False)
        while r.is_redirect:
            print(f"[redirect] HTTP {r.status_code} Location: {r.headers['Location'][:160]}")
            r = s.get(urllib.parse.urljoin(r.url, r.headers["Location"]), allow_redirects=False)
        p = show_page("page3", r)
        if a.dump_dir: open(os.path.join(a.dump_dir, "page3.html"), "w").write(r.text)
    post = next((f for f in p.forms if any(i.get("name") == "SAMLResponse" for i in f["inputs"])), None)
    if not post:
        txt = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r.text)); print("   no SAMLResponse; text:", txt[:900]); return
    m = re.search(r'name="SAMLResponse"\s+value="([^"]+)"', r.text)
    xml, out = summarize_response(html.unescape(m.group(1)))
    rs = re.search(r'name="RelayState"\s+value="([^"]*)"', r.text)
    print("ACS form action:", post["action"], "RelayState:", rs and html.unescape(rs.group(1)))
    for k, v in out.items(): print(f"   {k}: {v}")
    if a.dump_dir:
        open(os.path.join(a.dump_dir, "response.xml"), "wb").write(xml)
        open(os.path.join(a.dump_dir, "post-form.html"), "w").write(r.text)


if __name__ == "__main__":
    main()

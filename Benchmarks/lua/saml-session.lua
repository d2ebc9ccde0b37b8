-- SAML SSO with a live session: an HTTP-Redirect AuthnRequest (fresh ID each time) with
-- the session's cookies → 302 to the flow page (identity-server) → 200 with the signed
-- SAMLResponse form. One operation = one SAMLResponse (Response and Assertion signed).
-- Each connection is a browser of its own (BENCH_COOKIES).
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local c = require "common"
c.install(_G)

local cookie
local issuer = os.getenv("BENCH_SP_ISSUER")
local acs = os.getenv("BENCH_SP_ACS")
local counter, follow = 0, nil

function request()
  cookie = cookie or c.cookie(id)
  if follow then
    local path = follow
    follow = nil
    return wrk.format("GET", path, { Cookie = cookie })
  end
  counter = counter + 1
  return wrk.format("GET", c.authn_request_path("_bench-" .. id .. "-" .. counter, issuer, acs), { Cookie = cookie })
end

function response(status, headers, body)
  if status == 302 then
    follow = c.path(c.header(headers, "Location") or "")
  elseif status == 200 and body:find('name="SAMLResponse"', 1, true) then
    c.done_op()
  else
    c.fail("status " .. status .. ": " .. body)
  end
end

-- SAML SSO with a live session: an HTTP-Redirect AuthnRequest (fresh ID each time) with
-- the session's cookies → 302 to the flow page → 200 with the signed SAMLResponse form.
-- One operation = one SAMLResponse (Response and Assertion signed).
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local c = require "common"
c.install(_G)

local cookie = os.getenv("BENCH_COOKIE")
local issuer = os.getenv("BENCH_SP_ISSUER")
local acs = os.getenv("BENCH_SP_ACS")
local counter, follow = 0, nil

function request()
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

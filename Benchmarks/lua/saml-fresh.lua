-- SAML SSO with a fresh login in a new browser each time: AuthnRequest → 302 (browser
-- cookie set) → login page (its sessionDataKey and CSRF token read) → POST /commonauth
-- with the password (one PBKDF2 verification) → 200 with the signed SAMLResponse form.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local c = require "common"
c.install(_G)

local issuer = os.getenv("BENCH_SP_ISSUER")
local acs = os.getenv("BENCH_SP_ACS")
local username = os.getenv("BENCH_USERNAME")
local password = os.getenv("BENCH_PASSWORD")
local counter, step, browser, page, form = 0, "start", nil, nil, nil

function request()
  if step == "page" then
    return wrk.format("GET", page, { Cookie = browser })
  elseif step == "login" then
    return wrk.format("POST", "/commonauth", { Cookie = browser, ["Content-Type"] = "application/x-www-form-urlencoded" }, form)
  end
  counter = counter + 1
  return wrk.format("GET", c.authn_request_path("_fresh-" .. id .. "-" .. counter, issuer, acs))
end

function response(status, headers, body)
  if step == "start" then
    local set = c.header(headers, "Set-Cookie") or ""
    browser = set:match("^([^;]+)")
    page = c.path(c.header(headers, "Location") or "")
    if status ~= 302 or not browser then c.fail("start: status " .. status); return end
    step = "page"
  elseif step == "page" then
    local key = body:match('name="sessionDataKey" value="([^"]*)"')
    local csrf = body:match('name="csrf" value="([^"]*)"')
    if status ~= 200 or not key or not csrf then c.fail("page: status " .. status .. ": " .. body); step = "start"; return end
    form = "sessionDataKey=" .. c.urlencode(key) .. "&csrf=" .. c.urlencode(csrf)
      .. "&username=" .. c.urlencode(username) .. "&password=" .. c.urlencode(password)
    step = "login"
  else
    step = "start"
    if status == 200 and body:find('name="SAMLResponse"', 1, true) then c.done_op() else c.fail("login: status " .. status .. ": " .. body) end
  end
end

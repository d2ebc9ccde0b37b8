-- The OIDC authorization-code flow with a live session and PKCE (S256): /oauth2/authorize
-- → 302 to the flow page → 302 to the redirect URI with a code → POST /oauth2/token (client
-- secret, code verifier) → 200 with a signed ID token. One operation = one token response.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local c = require "common"
c.install(_G)

local cookie
local client = os.getenv("BENCH_CLIENT_ID")
local basic = os.getenv("BENCH_BASIC")
local redirect = os.getenv("BENCH_REDIRECT_URI")
local authorize_path = os.getenv("BENCH_AUTHORIZE_PATH") or "/oauth2/authorize"
local token_path = os.getenv("BENCH_TOKEN_PATH") or "/oauth2/token"
-- A fixed verifier and its S256 challenge, BASE64URL(SHA256(verifier)) (RFC 7636 §4.2).
local verifier = "dBjftJeZ4CVP-mJ0kFTO-yZ8whlBQxp_EqvrhGF7w2M"
local challenge = "bN6yB-BJAre6uQWABrlfr4enyZuRyPd6HRYIWsJozNU"
local counter, follow, form = 0, nil, nil

function request()
  cookie = cookie or c.cookie(id)
  if form then
    local body = form
    form = nil
    return wrk.format("POST", token_path, { Authorization = "Basic " .. basic, ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
  elseif follow then
    local path = follow
    follow = nil
    return wrk.format("GET", path, { Cookie = cookie })
  end
  counter = counter + 1
  return wrk.format("GET", authorize_path .. "?response_type=code&client_id=" .. c.urlencode(client)
    .. "&redirect_uri=" .. c.urlencode(redirect) .. "&scope=openid%20email&state=s" .. counter .. "&nonce=n" .. id .. "-" .. counter
    .. "&code_challenge=" .. challenge .. "&code_challenge_method=S256", cookie and { Cookie = cookie } or {})
end

function response(status, headers, body)
  if status == 302 then
    local location = c.header(headers, "Location") or ""
    local code = location:match("[?&]code=([^&]+)")
    if location:sub(1, #redirect) == redirect and code then
      form = "grant_type=authorization_code&code=" .. code .. "&redirect_uri=" .. c.urlencode(redirect) .. "&code_verifier=" .. verifier
    elseif location:sub(1, #redirect) == redirect then
      c.fail("no code: " .. location)
    else
      follow = c.path(location)
    end
  elseif status == 200 and body:find('"id_token"', 1, true) then
    c.done_op()
  else
    c.fail("status " .. status .. ": " .. body)
  end
end

-- client_credentials at /oauth2/token with the client's secret (HTTP Basic): one
-- operation = one access token.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local c = require "common"
c.install(_G)

local basic = os.getenv("BENCH_BASIC")

function request()
  return wrk.format("POST", "/oauth2/token", { Authorization = "Basic " .. basic, ["Content-Type"] = "application/x-www-form-urlencoded" },
    "grant_type=client_credentials")
end

function response(status, headers, body)
  if status == 200 and body:find('"access_token"', 1, true) then c.done_op() else c.fail("status " .. status .. ": " .. body) end
end

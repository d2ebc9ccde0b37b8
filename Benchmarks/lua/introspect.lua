-- Token introspection (RFC 7662) of one live access token by its client: one operation =
-- one `"active":true` answer.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local c = require "common"
c.install(_G)

local basic = os.getenv("BENCH_BASIC")
local body = "token=" .. c.urlencode(os.getenv("BENCH_ACCESS_TOKEN"))

function request()
  return wrk.format("POST", "/oauth2/introspect", { Authorization = "Basic " .. basic, ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

function response(status, headers, body)
  if status == 200 and body:find('"active" *: *true') then c.done_op() else c.fail("status " .. status .. ": " .. body) end
end

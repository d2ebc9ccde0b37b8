-- refresh_token with rotation: each thread holds its own chain (a refresh token from the
-- password grant, one per thread in BENCH_REFRESH_TOKENS) and presents each new token.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local c = require "common"
c.install(_G)

local basic = os.getenv("BENCH_BASIC")
local token = nil

function request()
  if not token then
    local i = 0
    for t in os.getenv("BENCH_REFRESH_TOKENS"):gmatch("[^,]+") do
      if i == id then token = t end
      i = i + 1
    end
  end
  return wrk.format("POST", "/oauth2/token", { Authorization = "Basic " .. basic, ["Content-Type"] = "application/x-www-form-urlencoded" },
    "grant_type=refresh_token&refresh_token=" .. c.urlencode(token))
end

function response(status, headers, body)
  local next = body:match('"refresh_token" *: *"([^"]+)"')
  if status == 200 and next then
    token = next
    c.done_op()
  else
    c.fail("status " .. status .. ": " .. body)
  end
end

-- Shared by the load scripts (wrk 4.1, LuaJIT). Each wrk thread has one connection
-- (`-t N -c N`), so a script may keep a multi-request flow's state in globals: the
-- next request on a connection is built only after the previous response was read.
local M = {}

local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

function M.base64(data)
  local out = {}
  for i = 1, #data, 3 do
    local a, b, c = data:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local c1 = math.floor(n / 262144) % 64
    local c2 = math.floor(n / 4096) % 64
    local c3 = math.floor(n / 64) % 64
    local c4 = n % 64
    out[#out + 1] = alphabet:sub(c1 + 1, c1 + 1) .. alphabet:sub(c2 + 1, c2 + 1)
      .. (b and alphabet:sub(c3 + 1, c3 + 1) or "=") .. (c and alphabet:sub(c4 + 1, c4 + 1) or "=")
  end
  return table.concat(out)
end

function M.urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

-- Raw DEFLATE (RFC 1951) in stored blocks: valid input to any inflater, and no zlib in
-- wrk's Lua. The HTTP-Redirect binding (SAML Bindings §3.4.4.1) asks for DEFLATE, not for
-- compression.
function M.deflate_stored(data)
  local out, i = {}, 1
  repeat
    local chunk = data:sub(i, i + 65534)
    i = i + #chunk
    local final = i > #data and 1 or 0
    local len = #chunk
    local nlen = 65535 - len
    out[#out + 1] = string.char(final, len % 256, math.floor(len / 256), nlen % 256, math.floor(nlen / 256)) .. chunk
  until i > #data
  return table.concat(out)
end

function M.header(headers, name)
  local lower = name:lower()
  for key, value in pairs(headers) do
    if key:lower() == lower then return value end
  end
  return nil
end

-- Path and query of a Location that may be absolute.
function M.path(location)
  return (location:gsub("^https?://[^/]+", ""))
end

function M.now()
  return os.date("!%Y-%m-%dT%H:%M:%SZ")
end

-- The IdP's SSO endpoint (HTTP-Redirect binding): identity-server's unless the benchmark
-- names another IdP's (SimpleSAMLphp's SSOService.php).
local sso_path = os.getenv("BENCH_SSO_PATH") or "/samlsso"

-- The path of an HTTP-Redirect AuthnRequest with ID `id` from `issuer`, answered to `acs`.
function M.authn_request_path(id, issuer, acs)
  local xml = '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"'
    .. ' ID="' .. id .. '" Version="2.0" IssueInstant="' .. M.now() .. '"'
    .. ' AssertionConsumerServiceURL="' .. acs .. '" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">'
    .. '<saml:Issuer>' .. issuer .. '</saml:Issuer></samlp:AuthnRequest>'
  return sso_path .. "?SAMLRequest=" .. M.urlencode(M.base64(M.deflate_stored(xml)))
end

-- The Cookie header of connection `id`'s browser: BENCH_COOKIES holds one per line (each
-- connection a browser of its own, as users are); nil when there are none.
function M.cookie(id)
  local list = {}
  for line in (os.getenv("BENCH_COOKIES") or ""):gmatch("[^\n]+") do list[#list + 1] = line end
  if #list == 0 then return nil end
  return list[id % #list + 1]
end

-- Counters per thread, summed in `done`: `ops` completed operations (an SSO, a token),
-- `failures` operations that ended wrongly (with the first reason kept).
local threads = {}
local next_id = 0

function M.install(env)
  env.setup = function(thread)
    thread:set("id", next_id)
    next_id = next_id + 1
    threads[#threads + 1] = thread
  end
  env.done = function(summary, latency, requests)
    local ops, failures, reason = 0, 0, ""
    for _, thread in ipairs(threads) do
      ops = ops + (thread:get("ops") or 0)
      failures = failures + (thread:get("failures") or 0)
      local r = thread:get("reason")
      if reason == "" and r and r ~= "" then reason = r end
    end
    io.write(string.format(
      'BENCH {"ops":%d,"failures":%d,"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"socket_errors":%d,"status_errors":%d,"reason":"%s"}\n',
      ops, failures, summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
      summary.errors.status, (reason:gsub('[\\"]', "'"):gsub("%c", " "))))
  end
end

function M.fail(why)
  failures = (failures or 0) + 1
  if not reason or reason == "" then reason = why:sub(1, 200) end
end

function M.done_op()
  ops = (ops or 0) + 1
end

return M

-- PutSecretValue on a random preloaded secret with a new ClientRequestToken
-- per request (nonce + thread id + counter: unique across threads and runs,
-- 36+ chars). Each call makes a new version; the service prunes versions
-- without labels beyond 100 per secret, so storage stays bounded.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")

local headers = bench.headers("PutSecretValue")
local filler = string.rep("v", 60)
function request()
  counter = counter + 1
  local token = string.format("%s-t%02d-%020d", bench.nonce, tid, counter):sub(1, 64)
  local body = '{"SecretId":"' .. bench.random_name() .. '","ClientRequestToken":"' .. token
    .. '","SecretString":"{\\"password\\":\\"' .. token .. filler .. '\\"}"}'
  return wrk.format("POST", "/", headers, body)
end

-- PutSecretValue on a random preloaded secret with a new ClientRequestToken
-- per request (bench.token(): nonce + thread id + counter, unique across
-- threads and runs, 32..64 chars). Each call makes a new version; the service
-- prunes versions without labels beyond 100 per secret, so storage stays
-- bounded.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")

local post = bench.poster("PutSecretValue")
local filler = string.rep("v", 60)
function request()
  counter = counter + 1
  local token = bench.token()
  local body = '{"SecretId":"' .. bench.random_name() .. '","ClientRequestToken":"' .. token
    .. '","SecretString":"{\\"password\\":\\"' .. token .. filler .. '\\"}"}'
  return post(body)
end

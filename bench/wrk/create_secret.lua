-- CreateSecret with a new name per request (nonce + thread id + counter),
-- and a ClientRequestToken like the one an SDK fills in (AWS rejects a raw
-- CreateSecret with a value but no token).
-- These are not bench/secret-NNNNN, so the random picks of other scenarios
-- are unaffected; run it last, since it grows the set ListSecrets pages over.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")

local post = bench.poster("CreateSecret")
local filler = string.rep("c", 80)
function request()
  counter = counter + 1
  local name = string.format("bench/new-%s-t%02d-%d", bench.nonce, tid, counter)
  local token = bench.token()
  local body = '{"Name":"' .. name .. '","ClientRequestToken":"' .. token .. '","SecretString":"' .. filler .. '"}'
  return post(body)
end

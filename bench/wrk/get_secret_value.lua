-- GetSecretValue of a random preloaded secret (AWSCURRENT) per request.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")

local post = bench.poster("GetSecretValue")
function request()
  return post('{"SecretId":"' .. bench.random_name() .. '"}')
end

-- The bytes of a GetSecretValue (an SDK's headers and a JSON body) sent to a
-- path nothing serves: a 404 that costs the HTTP layer what a real call's
-- request costs it. GetSecretValue against it is the API's own share.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")

local post = bench.poster("GetSecretValue", "/bench/null")
function request()
  return post('{"SecretId":"' .. bench.random_name() .. '"}')
end

-- The bytes of a GetSecretValue (an SDK's headers and a JSON body) sent to a
-- path nothing serves: a 404 that costs the HTTP layer what a real call's
-- request costs it. GetSecretValue against it is the API's own share.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")

request = bench.secret_id_requests("GetSecretValue", "/bench/null")

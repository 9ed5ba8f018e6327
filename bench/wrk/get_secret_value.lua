-- GetSecretValue of a random preloaded secret (AWSCURRENT) per request.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")

request = bench.secret_id_requests("GetSecretValue")

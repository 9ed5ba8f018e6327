-- GET /_local/health: the null endpoint, i.e. the HTTP layer's ceiling.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")

wrk.method = "GET"
wrk.path = "/_local/health"

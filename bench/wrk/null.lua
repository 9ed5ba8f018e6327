-- GET of a path nothing serves: a 404, the cheapest answer the server gives
-- (the HTTP layer alone). Its non-2xx responses are the point, not errors.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")

wrk.method = "GET"
wrk.path = "/bench/null"

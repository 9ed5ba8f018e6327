-- ListSecrets, first page of 100 (the preloaded set is larger than a page).
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")

local headers = bench.headers("ListSecrets")
local body = '{"MaxResults":100}'
function request()
  return wrk.format("POST", "/", headers, body)
end

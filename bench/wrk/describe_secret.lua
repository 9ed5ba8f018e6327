-- DescribeSecret of a random preloaded secret per request.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")

local headers = bench.headers("DescribeSecret")
function request()
  return wrk.format("POST", "/", headers, '{"SecretId":"' .. bench.random_name() .. '"}')
end

-- DescribeSecret of a random preloaded secret per request.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")

local post = bench.poster("DescribeSecret")
function request()
  return post('{"SecretId":"' .. bench.random_name() .. '"}')
end

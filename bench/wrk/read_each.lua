-- GetSecretValue of bench/secret-NNNNN in order, each secret once per pass
-- (threads interleave over [BENCH_FROM, BENCH_SECRETS]): right after the
-- clock moved to a new day, every request is a secret's first read of the day.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")

local post = bench.poster("GetSecretValue")
function request()
  local length = bench.walk_length()
  local n = counter % math.max(length, 1)
  counter = counter + 1
  return post('{"SecretId":"' .. bench.name(bench.walk(n)) .. '"}')
end

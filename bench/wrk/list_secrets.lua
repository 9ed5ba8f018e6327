-- ListSecrets, first page of 100 (the preloaded set is larger than a page),
-- newest first: the oldest secrets are the ones PutSecretValue@1k gave many
-- versions, and a listed secret's cost grows with its versions, so this keeps
-- the 1k and 100k rows measuring the same thing (secrets with one version).
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")

local post = bench.poster("ListSecrets")
local body = '{"MaxResults":100,"SortOrder":"desc"}'
function request()
  return post(body)
end

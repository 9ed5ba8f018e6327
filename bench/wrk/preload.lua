-- Creates bench/secret-NNNNN for every index in [BENCH_FROM, BENCH_SECRETS]
-- (or, with BENCH_READ=1, reads each once) over many keep-alive connections:
-- wrk as a fast preloader. Each thread takes its interleaved share; once its
-- share is sent it asks for GET /_local/health until the last answer to its
-- own requests is in, then writes "created existed failed" to
-- $BENCH_DONE_DIR/thread-<tid> and stops. wrk itself only stops at -d, so
-- bench/run.sh waits for every thread's file and then ends wrk.
-- Values match bench/preload.py (~100-byte SecretString).
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")

local reading = os.getenv("BENCH_READ") == "1"
local done_dir = os.getenv("BENCH_DONE_DIR") or "."
local post = bench.poster(reading and "GetSecretValue" or "CreateSecret")
local idle = wrk.format("GET", "/_local/health")
local sent, created, existed, failed = 0, 0, 0, 0
local reported = false
local verified = false

function request()
  -- wrk calls request() once on the first thread's state to check for
  -- pipelining and discards the result: that call must not use an index.
  if tid == 1 and not verified then
    verified = true
    return idle
  end
  if sent >= bench.walk_length() then return idle end
  local i = bench.walk(sent)
  sent = sent + 1
  if reading then
    return post('{"SecretId":"' .. bench.name(i) .. '"}')
  end
  counter = counter + 1
  local body = string.format(
    '{"Name":"%s","ClientRequestToken":"%s","SecretString":"{\\"username\\": \\"user%06d\\", \\"password\\": \\"p%06d%s\\"}"}',
    bench.name(i), bench.token(), i, i, string.rep("x", 60))
  return post(body)
end

function response(status, headers, body)
  if body:find('"uptimeSeconds"', 1, true) then
    -- an idle health check
  elseif status == 200 then
    created = created + 1
  elseif body:find("ResourceExistsException", 1, true) then
    existed = existed + 1
  else
    failed = failed + 1
  end
  if not reported and created + existed + failed >= bench.walk_length() then
    reported = true
    local f = io.open(done_dir .. "/thread-" .. tid, "w")
    f:write(string.format("%d %d %d\n", created, existed, failed))
    f:close()
    wrk.thread:stop()
  end
end

function done() end

-- Shared by the scenario scripts (loaded with dofile from the script's own
-- folder). Each wrk thread has its own Lua state: setup() runs in the main
-- state and hands every thread a distinct id; init() seeds that thread's
-- random generator from it. done() prints one machine-friendly line that
-- bench/run.sh parses:
--   BENCH requests=.. duration_s=.. rps=.. p50_ms=.. p90_ms=.. p99_ms=.. max_ms=.. non2xx=.. socket_errors=..
-- Environment: BENCH_SECRETS (how many bench/secret-NNNNN exist, default
-- 1000), BENCH_NONCE (makes tokens and new names unique across runs),
-- BENCH_HOT (when set, random picks come from that many secrets spread
-- evenly over the set: a hot set), BENCH_FROM (first index for the
-- sequential scripts, default 1), BENCH_THREADS (wrk's -t, for them).

bench = {}
bench.secrets = tonumber(os.getenv("BENCH_SECRETS") or "1000")
bench.nonce = os.getenv("BENCH_NONCE") or tostring(os.time())
bench.hot = tonumber(os.getenv("BENCH_HOT") or "0")
bench.from = tonumber(os.getenv("BENCH_FROM") or "1")

-- The same shape of request a real SDK sends: JSON 1.1 content type, the
-- operation in X-Amz-Target, a SigV4 Authorization header (moto routes by its
-- credential scope; ours reads account and region from it).
function bench.headers(operation)
  return {
    ["Content-Type"] = "application/x-amz-json-1.1",
    ["X-Amz-Target"] = "secretsmanager." .. operation,
    ["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20240101/us-east-1/secretsmanager/aws4_request, "
      .. "SignedHeaders=content-type;host;x-amz-target, Signature=" .. string.rep("0", 64),
  }
end

-- A function that makes a POST of `operation` (to `path`, default "/") with
-- a given body: the bytes
-- wrk.format would write, with the constant part built once per thread.
-- wrk.format costs ~2 us of Lua per request, which on a shared machine the
-- client takes from the server (the null scenario's request is static).
function bench.poster(operation, path)
  local prefix
  return function(body)
    if not prefix then
      local lines = { "POST " .. (path or "/") .. " HTTP/1.1", "Host: " .. wrk.headers["Host"] }
      for name, value in pairs(bench.headers(operation)) do
        lines[#lines + 1] = name .. ": " .. value
      end
      prefix = table.concat(lines, "\r\n") .. "\r\nContent-Length: "
    end
    return prefix .. #body .. "\r\n\r\n" .. body
  end
end

-- Must match bench/preload.py SecretName().
function bench.name(i)
  return string.format("bench/secret-%05d", i)
end

-- The index of a random preloaded secret (of the hot set when BENCH_HOT is set).
function bench.random_index()
  if bench.hot > 0 and bench.hot < bench.secrets then
    local stride = math.floor(bench.secrets / bench.hot)
    return (math.random(1, bench.hot) - 1) * stride + 1
  end
  return math.random(1, bench.secrets)
end

function bench.random_name()
  return bench.name(bench.random_index())
end

-- A request() that sends `operation` with {"SecretId": <a random secret>},
-- each distinct request built once and kept for the rest of the run. wrk
-- sends the null scenario's static request without running any Lua; building
-- a request per call (~1.5 us of Lua) would take that much more of the two
-- cores from the server in the read scenarios than in the null one.
function bench.secret_id_requests(operation, path)
  local post = bench.poster(operation, path)
  local made = {}
  return function()
    local i = bench.random_index()
    local r = made[i]
    if not r then
      r = post('{"SecretId":"' .. bench.name(i) .. '"}')
      made[i] = r
    end
    return r
  end
end

-- The threads' interleaved walk over [from, secrets]: the n-th (0-based)
-- index this thread takes, and how many it has in all.
function bench.walk(n)
  return bench.from + (tid - 1) + n * bench.threads
end
function bench.walk_length()
  local total = bench.secrets - bench.from + 1
  if tid > total then return 0 end
  return math.floor((total - tid) / bench.threads) + 1
end

-- A ClientRequestToken unique per (run, thread, request): 32..64 chars as
-- the API requires; if the nonce makes it too long, the unique tail is kept.
function bench.token()
  local t = string.format("%s-t%02d-%020d", bench.nonce, tid, counter)
  if #t < 32 then t = string.rep("0", 32 - #t) .. t end
  if #t > 64 then t = t:sub(#t - 63) end
  return t
end

local next_thread_id = 0
local threads = {}
function setup(thread)
  next_thread_id = next_thread_id + 1
  thread:set("tid", next_thread_id)
  table.insert(threads, thread)
  for _, t in ipairs(threads) do t:set("thread_count", #threads) end
end

function init(args)
  tid = tid or 0
  -- wrk starts each thread before it sets up the next, so the count comes
  -- from the environment (bench/run.sh passes wrk's -t).
  bench.threads = tonumber(os.getenv("BENCH_THREADS") or "") or thread_count or 1
  counter = 0
  math.randomseed(tid * 104729 + os.time())
end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx=%d socket_errors=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end

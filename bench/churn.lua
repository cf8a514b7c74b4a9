-- wrk 4.x Lua for bench/cache-churn: GET the URL's path once with each
-- bearer secret in the file named by CHURN_SECRETS (lines of `seq secret`).
-- With -tN (CHURN_THREADS=N), thread i takes lines i, i+N, i+2N, ... Once a
-- thread has presented its share it asks for /v1/healthz instead (wrk runs
-- for its -d duration whatever the script does), so the /self requests are
-- exactly the distinct secrets. At the end it prints `presented I COUNT`
-- per thread, for bench/cache-churn to present the rest in another run.
local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

local requests = {}
local next_index = 1
presented = 0
local idle

function init(args)
  local stride = tonumber(os.getenv("CHURN_THREADS") or "1")
  local line_number = 0
  for line in io.lines(os.getenv("CHURN_SECRETS")) do
    if line_number % stride == index then
      local secret = line:match("^%S+%s+(%S+)$")
      if secret then
        table.insert(requests, wrk.format("GET", wrk.path, { ["Authorization"] = "Bearer " .. secret }))
      end
    end
    line_number = line_number + 1
  end
  idle = wrk.format("GET", "/v1/healthz")
end

function request()
  local r = requests[next_index]
  if r == nil then return idle end
  next_index = next_index + 1
  presented = presented + 1
  return r
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    io.write(string.format("presented %d %d\n", thread:get("index"), thread:get("presented")))
  end
end

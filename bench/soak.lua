-- Mixed workload for bench/soak (wrk 4.x Lua). Per request, by weight:
--   80%  GET /v1/self            one of several seeded/admin/service secrets
--                                (1 in 10 of them: the secret of a token this
--                                thread created and has not deleted yet)
--    5%  GET /v1/tokens?page_size=50   (admin)
--    8%  POST /v1/tokens         (admin FULL_ACCESS token, JSON body) -> 201
--    5%  DELETE /v1/tokens/{id}  of a token this thread created (oldest first;
--                                a GET /v1/self when there is none yet)
--    2%  POST /v1/auth/token     {api_key} with a seeded personal/service key
-- Every expected status is 2xx; response() counts the rest by class and
-- done() prints them (plus created/deleted counts and p99.9).
--
-- Environment (set by bench/soak): SOAK_ADMIN, SOAK_SELF (space-separated
-- secrets), SOAK_EXCHANGE (space-separated secrets), SOAK_MIX (weights of
-- self, list, create, delete, exchange; default "80 5 8 5 2").

local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

local function words(text)
  local list = {}
  for w in string.gmatch(text or "", "%S+") do table.insert(list, w) end
  return list
end

-- Per-thread state (each wrk thread has its own Lua state).
created, deleted, deletes_sent, creates_sent = 0, 0, 0, 0
selfs, lists, exchanges, fresh_selfs = 0, 0, 0, 0
c2xx, c3xx, c4xx, c5xx, cother = 0, 0, 0, 0, 0
first_error = ""

local admin, self_secrets, exchange_secrets
local admin_headers
-- Tokens created and not yet deleted: a FIFO of {id, secret}.
local live = {}
local head, tail = 1, 0
local label_counter = 0
-- Cumulative weights of self, list, create, delete, exchange (SOAK_MIX).
bounds = {}

function init(args)
  admin = os.getenv("SOAK_ADMIN")
  self_secrets = words(os.getenv("SOAK_SELF"))
  exchange_secrets = words(os.getenv("SOAK_EXCHANGE"))
  admin_headers = { ["Authorization"] = "Bearer " .. admin }
  local mix = words(os.getenv("SOAK_MIX") or "80 5 8 5 2")
  local sum = 0
  for i = 1, 5 do sum = sum + tonumber(mix[i]); bounds[i] = sum end
  math.randomseed(os.time() + (thread_id or 0) * 7919)
end

local function get_self(secret)
  selfs = selfs + 1
  return wrk.format("GET", "/v1/self", { ["Authorization"] = "Bearer " .. secret })
end

local function self_request()
  -- The newest live token, far from the oldest one the deletes take, so no
  -- DELETE of it can be in flight (16 connections per thread).
  if tail - head + 1 >= 256 and math.random(10) == 1 then
    fresh_selfs = fresh_selfs + 1
    return get_self(live[tail][2])
  end
  return get_self(self_secrets[math.random(#self_secrets)])
end

function request()
  local r = math.random(bounds[5])
  if r <= bounds[1] then
    return self_request()
  elseif r <= bounds[2] then
    lists = lists + 1
    return wrk.format("GET", "/v1/tokens?page_size=50", admin_headers)
  elseif r <= bounds[3] then
    creates_sent = creates_sent + 1
    label_counter = label_counter + 1
    local body = string.format('{"token_label":"soak t%d %d","access_level":"%s"}',
      thread_id or 0, label_counter, (label_counter % 2 == 0) and "READ_ONLY" or "FULL_ACCESS")
    return wrk.format("POST", "/v1/tokens",
      { ["Authorization"] = "Bearer " .. admin, ["Content-Type"] = "application/json" }, body)
  elseif r <= bounds[4] then
    if tail >= head then
      local id = live[head][1]
      live[head] = nil
      head = head + 1
      deletes_sent = deletes_sent + 1
      return wrk.format("DELETE", "/v1/tokens/" .. id, admin_headers)
    end
    return self_request()
  else
    exchanges = exchanges + 1
    local key = exchange_secrets[math.random(#exchange_secrets)]
    return wrk.format("POST", "/v1/auth/token", { ["Content-Type"] = "application/json" },
      '{"api_key":"' .. key .. '"}')
  end
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    c2xx = c2xx + 1
    if status == 201 then
      -- Only POST /v1/tokens answers 201: {"token": {...,"token_id":...}, "secret": ...}
      local id = string.match(body, '"token_id"%s*:%s*"([0-9a-f%-]+)"')
      local secret = string.match(body, '"secret"%s*:%s*"(ts[ps]_[0-9A-Za-z]+)"')
      if id and secret then
        created = created + 1
        tail = tail + 1
        live[tail] = { id, secret }
      end
    elseif status == 200 and (body == nil or string.find(body, '^%s*$')) then
      deleted = deleted + 1  -- only DELETE answers 200 with an empty body
    end
    return
  end
  if status < 400 then c3xx = c3xx + 1
  elseif status < 500 then c4xx = c4xx + 1
  elseif status < 600 then c5xx = c5xx + 1
  else cother = cother + 1 end
  if first_error == "" then
    first_error = status .. " " .. string.sub(body or "", 1, 300)
  end
end

function done(summary, latency, requests)
  local t = {}
  local keys = { "c2xx", "c3xx", "c4xx", "c5xx", "cother", "created", "deleted", "deletes_sent",
                 "creates_sent", "selfs", "fresh_selfs", "lists", "exchanges" }
  for _, k in ipairs(keys) do t[k] = 0 end
  local errors_text = {}
  for _, thread in ipairs(threads) do
    for _, k in ipairs(keys) do t[k] = t[k] + (thread:get(k) or 0) end
    local e = thread:get("first_error")
    if e and e ~= "" then table.insert(errors_text, e) end
  end
  local s = summary.errors
  local socket_errors = s.connect + s.read + s.write + s.timeout
  io.write(string.format("SOAK requests=%d duration_us=%d c2xx=%d c3xx=%d c4xx=%d c5xx=%d cother=%d "
    .. "socket_errors=%d status_errors=%d timeouts=%d\n",
    summary.requests, summary.duration, t.c2xx, t.c3xx, t.c4xx, t.c5xx, t.cother,
    socket_errors, s.status, s.timeout))
  io.write(string.format("SOAK created=%d deletes_sent=%d deleted_2xx=%d creates_sent=%d selfs=%d "
    .. "fresh_selfs=%d lists=%d exchanges=%d\n",
    t.created, t.deletes_sent, t.deleted, t.creates_sent, t.selfs, t.fresh_selfs, t.lists, t.exchanges))
  io.write(string.format("SOAK p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d mean_us=%.0f\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, latency.mean))
  for _, e in ipairs(errors_text) do io.write("SOAK first_error " .. e:gsub("\n", " ") .. "\n") end
end

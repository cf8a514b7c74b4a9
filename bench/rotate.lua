-- wrk 4.x Lua for bench/serve-bench: GET the URL's path with a different
-- bearer secret on each request, cycling through the secrets in the file
-- named by ROTATE_SECRETS (lines of `seq secret`, as bench/seed-tokens
-- --secrets-out writes them). Each wrk thread starts at its own offset, so
-- the connections spread over all the tokens at once.
local threads = 0

function setup(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end

local requests = {}
local next_index = 1

function init(args)
  local path = wrk.path
  for line in io.lines(os.getenv("ROTATE_SECRETS")) do
    local secret = line:match("^%S+%s+(%S+)$")
    if secret then
      table.insert(requests, wrk.format("GET", path, { ["Authorization"] = "Bearer " .. secret }))
    end
  end
  if #requests == 0 then error("no secrets in " .. os.getenv("ROTATE_SECRETS")) end
  next_index = (offset or 0) % #requests + 1
end

function request()
  local r = requests[next_index]
  next_index = next_index % #requests + 1
  return r
end

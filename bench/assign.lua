-- Each request works on a lead no request has touched: POST /api/assignments/assign (MODE=assign,
-- to the reps of ASSIGNEES in turn) or /api/stages/change-status to qualified (MODE=status).
-- env: LEAD_CURSOR (a file holding the next unused lead id; every run moves it past the ids it
-- used), ASSIGNEES ("3,4,5"), THREADS (wrk's -t), MODE, AUTHORIZATION ("Bearer <token>": wrk's
-- -H headers do not reach a request the script formats with its own headers).
local cursor = os.getenv("LEAD_CURSOR")
local mode = os.getenv("MODE") or "assign"
local authorization = os.getenv("AUTHORIZATION")
local stride = tonumber(os.getenv("THREADS") or "2")
local assignees, count = {}, 0
for id in string.gmatch(os.getenv("ASSIGNEES") or "", "%d+") do
  count = count + 1
  assignees[count] = id
end
local threads, start, n = 0, 0, 0

local function first_unused()
  local f = assert(io.open(cursor, "r"))
  local value = tonumber(f:read("*l"))
  f:close()
  return value
end

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  start = first_unused()
end

function request()
  local lead = start + (tid - 1) + n * stride
  n = n + 1
  local path, body
  if mode == "status" then
    path = "/api/stages/change-status"
    body = '{"leadId":' .. lead .. ',"statusId":2,"notes":"qualified on the first call"}'
  else
    path = "/api/assignments/assign"
    body = '{"leadId":' .. lead .. ',"assignedUserId":' .. assignees[(lead % count) + 1] .. ',"reason":"bench"}'
  end
  local headers = { ["Content-Type"] = "application/json", ["Authorization"] = authorization }
  return wrk.format("POST", path, headers, body)
end

function done(summary, latency, requests)
  -- every thread sent at most summary.requests + its open connections; leave a wide margin
  local next_unused = first_unused() + summary.requests + 2000
  local f = assert(io.open(cursor, "w"))
  f:write(tostring(next_unused) .. "\n")
  f:close()
end

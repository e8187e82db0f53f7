-- Activities load: MODE=log posts an activity (a call with a follow-up date without Z, which the
-- peer's log accepts) on the leads LOW..HIGH in turn; MODE=lead reads a lead's activities
-- (GET /api/activities/lead/<id>?limit=20) over the same leads; MODE=entity reads the entity's
-- (GET /api/activities/entity?limit=50). env: LOW, HIGH, MODE, AUTHORIZATION ("Bearer <token>").
local mode = os.getenv("MODE") or "log"
local low = tonumber(os.getenv("LOW") or "1")
local high = tonumber(os.getenv("HIGH") or "1")
local authorization = os.getenv("AUTHORIZATION")
local span = high - low + 1
local threads, n = 0, 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function request()
  n = n + 1
  local lead = low + ((n * 7919 + tid * 104729) % span)
  local headers = { ["Content-Type"] = "application/json", ["Authorization"] = authorization }
  if mode == "log" then
    local body = '{"leadId":' .. lead .. ',"activityType":"call","description":"Called, no answer; try again",'
      .. '"nextFollowUpDate":"2027-01-15T10:00:00","priority":"high","status":"pending"}'
    return wrk.format("POST", "/api/activities/log", headers, body)
  elseif mode == "lead" then
    return wrk.format("GET", "/api/activities/lead/" .. lead .. "?limit=20", headers)
  end
  return wrk.format("GET", "/api/activities/entity?limit=50", headers)
end

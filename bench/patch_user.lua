-- PATCH /v2/user/{id} (one field) for random ids of the seeded tenant.
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
local key = os.getenv("BENCH_KEY")
local headers = { ["api-key"] = key, ["content-type"] = "application/json" }
local n = 0
math.randomseed(os.time())
request = function()
  n = n + 1
  local body = '{"user_designation":"bench ' .. n .. '"}'
  return wrk.format("PATCH", "/v2/user/" .. ids[math.random(#ids)], headers, body)
end

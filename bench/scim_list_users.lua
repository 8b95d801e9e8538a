-- GET /scim/v2/Users?startIndex=…&count=100 (no filter) at random offsets of the seeded tenant.
local users = tonumber(os.getenv("BENCH_USERS"))
local headers = { ["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY") }
math.randomseed(os.time())
request = function()
  local path = "/scim/v2/Users?startIndex=" .. math.random(1, users) .. "&count=100"
  return wrk.format("GET", path, headers)
end

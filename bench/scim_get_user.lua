-- GET /scim/v2/Users/{id} for random ids of the seeded tenant.
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
local headers = { ["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY") }
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/scim/v2/Users/" .. ids[math.random(#ids)], headers)
end

-- GET /v2/user/{id} for random ids of the seeded tenant.
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
local key = os.getenv("BENCH_KEY")
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/v2/user/" .. ids[math.random(#ids)], { ["api-key"] = key })
end

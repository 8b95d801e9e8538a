-- GET /scim/v2/Users?filter=userName eq "…", as identity providers ask before each write, for
-- random users of the seeded tenant, whose emails (and so user names) are user<N>@bench.example.
local users = tonumber(os.getenv("BENCH_USERS"))
local headers = { ["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY") }
math.randomseed(os.time())
request = function()
  local filter = "userName%20eq%20%22user" .. math.random(0, users - 1) .. "%40bench.example%22"
  return wrk.format("GET", "/scim/v2/Users?filter=" .. filter, headers)
end

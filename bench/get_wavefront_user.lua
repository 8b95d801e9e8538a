-- GET /api/v2/user/{email} (Wavefront's UserModel, with groups, roles and member counts) for
-- random users of the seeded tenant, whose emails are user<N>@bench.example.
local users = tonumber(os.getenv("BENCH_USERS"))
local key = os.getenv("BENCH_KEY")
math.randomseed(os.time())
request = function()
  local email = "user" .. math.random(0, users - 1) .. "%40bench.example"
  return wrk.format("GET", "/api/v2/user/" .. email, { ["X-AUTH-TOKEN"] = key })
end

-- PATCH /scim/v2/Users/{id} (a PatchOp replacing the title) for random ids of the seeded tenant.
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
local headers = {
  ["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY"),
  ["content-type"] = "application/scim+json",
}
local n = 0
math.randomseed(os.time())
request = function()
  n = n + 1
  local body = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],'
    .. '"Operations":[{"op":"replace","path":"title","value":"bench ' .. n .. '"}]}'
  return wrk.format("PATCH", "/scim/v2/Users/" .. ids[math.random(#ids)], headers, body)
end

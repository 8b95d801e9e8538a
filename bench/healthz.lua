-- The baseline: GET /healthz touches no database, so it measures HTTP and the router alone.
request = function() return wrk.format("GET", "/healthz") end

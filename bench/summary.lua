-- GET /v2/optimization/summary over the whole bench tenant.
wrk.method = "GET"
wrk.path = "/v2/optimization/summary"
wrk.headers["api-key"] = os.getenv("BENCH_KEY")

-- wrk script of `cargo xtask bench`: every request is a DescribeConnections call as the
-- console makes it; at the end one line `BENCH {json}` with the figures xtask reads.
wrk.method = "POST"
wrk.body = "{}"
wrk.headers["content-type"] = "application/x-amz-json-1.1"
wrk.headers["x-amz-target"] = "OvertureService.DescribeConnections"
wrk.headers["x-cloudlink-token"] = os.getenv("CLOUDLINK_TOKEN") or "none"

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"errors":%d,"status_errors":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end

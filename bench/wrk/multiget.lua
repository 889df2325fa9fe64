-- bench/wrk/multiget.lua: the real client's multi-get (clients.md R1):
-- POST /v3/versions/latest with the 15 (component, stable) pairs of a
-- Workflow v2.18 Helm install, as workflow-manager v2.5.1 sends it.
-- BENCH_PATH overrides the path (the probe's /multi takes the same body).
dofile((os.getenv("BENCH_DIR") or ".") .. "/wrk/common.lua")

local req
function init(args)
	req = wrk.format("POST", os.getenv("BENCH_PATH") or
		"/v3/versions/latest", go_headers,
		bench_read("bodies/r1-v2.18.json"))
end

function request()
	return req
end

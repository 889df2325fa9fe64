-- bench/wrk/mixed.lua: one 12-hour client cycle replayed (clients.md
-- 2.1.5: a healthy v2.18 cluster sends 2N+1 = 31 multi-gets and one
-- check-in), plus one CI read (GET /v3/versions/stable/deis-<repo>/latest,
-- clients.md 2.4 E, the 17 names in turn) per cycle: 33 requests, each
-- wrk thread walking the sequence from its own starting point.  The
-- check-in is a repeat check-in of a known cluster three times in four
-- (BENCH_NEW_EVERY, BENCH_IDS: see common.lua).
dofile((os.getenv("BENCH_DIR") or ".") .. "/wrk/common.lua")

local ci_names = { "builder", "controller", "dockerbuilder", "fluentd",
	"logger", "minio", "grafana", "nsq", "postgres", "redis", "registry",
	"registry-proxy", "registry-token-refresher", "router", "slugbuilder",
	"slugrunner", "workflow-manager" }
local multiget, head, tail, step, ci
local ci_headers = { ["User-Agent"] = "curl/7.52.1", ["Accept"] = "*/*" }

function init(args)
	bench_seed()
	multiget = wrk.format("POST", "/v3/versions/latest", go_headers,
		bench_read("bodies/r1-v2.18.json"))
	head, tail = bench_checkin_parts()
	step = math.random(0, 32)
	ci = math.random(1, #ci_names)
end

function request()
	step = (step + 1) % 33
	if step == 16 then
		return wrk.format("POST", "/v3/clusters", go_headers,
			head .. bench_cluster_id() .. tail)
	elseif step == 32 then
		ci = ci % #ci_names + 1
		return wrk.format("GET", "/v3/versions/stable/deis-" ..
			ci_names[ci] .. "/latest", ci_headers)
	end
	return multiget
end

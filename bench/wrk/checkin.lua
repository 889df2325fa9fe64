-- bench/wrk/checkin.lua: the real v2.18 check-in (clients.md R2), POST
-- /v3/clusters, 2,180 bytes; a fresh random UUID for one check-in in
-- BENCH_NEW_EVERY (default 4: first check-ins of new clusters), repeat
-- check-ins of known clusters otherwise (BENCH_IDS, see common.lua).
-- BENCH_PATH overrides the path (the INSERT probe takes the same bodies).
dofile((os.getenv("BENCH_DIR") or ".") .. "/wrk/common.lua")

local head, tail, path
function init(args)
	bench_seed()
	head, tail = bench_checkin_parts()
	path = os.getenv("BENCH_PATH") or "/v3/clusters"
end

function request()
	return wrk.format("POST", path, go_headers,
		head .. bench_cluster_id() .. tail)
end

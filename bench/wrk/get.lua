-- bench/wrk/get.lua: plain GET of the URL given to wrk (CI reads, the
-- cluster statistics, the ceiling probes).
dofile((os.getenv("BENCH_DIR") or ".") .. "/wrk/common.lua")

-- bench/wrk/common.lua: shared by every wrk script of bench/run.
--
-- BENCH_DIR (set by bench/run) is the bench/ directory.  done() prints one
-- machine-readable line that bench/run parses:
--   BENCH requests=N duration_us=N rps=F p50_us=N p99_us=N max_us=N
--         errors=N status_errors=N socket_errors=N bytes=N
-- errors = non-2xx/3xx answers (wrk counts status > 399) + socket errors
-- (connect, read, write, timeout).

bench_dir = os.getenv("BENCH_DIR") or "."

function bench_read(name)
	local f = assert(io.open(bench_dir .. "/" .. name, "rb"))
	local s = f:read("*a")
	f:close()
	return s
end

-- Threads: a distinct id each, for seeding.
local thread_n = 0
function setup(thread)
	thread_n = thread_n + 1
	thread:set("thread_id", thread_n)
end

function bench_seed()
	local t = os.time()
	local c = math.floor((os.clock() * 1e6) % 1e6)
	math.randomseed(t * 1000 + (thread_id or 0) * 7919 + c)
	-- LuaJIT's first values after seeding are poor: throw a few away.
	for _ = 1, 10 do math.random() end
end

-- A random version 4 UUID, lower case.
function bench_uuid()
	local r = math.random
	return string.format("%04x%04x-%04x-4%03x-%04x-%04x%04x%04x",
		r(0, 0xffff), r(0, 0xffff), r(0, 0xffff), r(0, 0xfff),
		0x8000 + r(0, 0x3fff), r(0, 0xffff), r(0, 0xffff), r(0, 0xffff))
end

-- Check-in ids: a new cluster (a fresh random UUID: its first check-in)
-- for one check-in in BENCH_NEW_EVERY (default 4); otherwise a repeat
-- check-in of a known cluster: one of the ids listed in the file
-- BENCH_IDS (bench/run lists 100,000 clusters of the generated
-- population, as a production check-in of an existing cluster lands on
-- a random, cold row), else one of this thread's own earlier clusters.
local pool, pool_n, fixed_pool = {}, 0, false
local new_every = tonumber(os.getenv("BENCH_NEW_EVERY") or "4")
local function load_ids()
	local f = os.getenv("BENCH_IDS") and io.open(os.getenv("BENCH_IDS"))
	if not f then return end
	for line in f:lines() do
		if #line > 0 then
			pool_n = pool_n + 1
			pool[pool_n] = line
		end
	end
	f:close()
	fixed_pool = pool_n > 0
end
function bench_cluster_id()
	if pool_n == 0 and not fixed_pool then load_ids() end
	if pool_n == 0 or math.random(1, new_every) == 1 then
		local id = bench_uuid()
		if fixed_pool then
			return id
		elseif pool_n < 20000 then
			pool_n = pool_n + 1
			pool[pool_n] = id
		else
			pool[math.random(1, pool_n)] = id
		end
		return id
	end
	return pool[math.random(1, pool_n)]
end

-- The real v2.18 check-in (clients.md R2), split around its id.
function bench_checkin_parts()
	local body = bench_read("bodies/r2-v2.18.json")
	local a, b = body:find('"id":"[^"]*"', 1)
	return body:sub(1, a + 5), body:sub(b)
end

-- Headers the real client (Go's swagger runtime) sends.
go_headers = {
	["User-Agent"] = "Go-http-client/1.1",
	["Accept"] = "application/json",
	["Accept-Encoding"] = "gzip",
	["Content-Type"] = "application/json",
}

function done(summary, latency, requests)
	local e = summary.errors
	local sock = e.connect + e.read + e.write + e.timeout
	local secs = summary.duration / 1e6
	io.write(string.format("BENCH requests=%d duration_us=%d rps=%.1f " ..
		"p50_us=%d p99_us=%d max_us=%d errors=%d status_errors=%d " ..
		"socket_errors=%d bytes=%d\n",
		summary.requests, summary.duration, summary.requests / secs,
		latency:percentile(50), latency:percentile(99), latency.max,
		e.status + sock, e.status, sock, summary.bytes))
end

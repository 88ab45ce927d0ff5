-- bench-service.lua — the wrk script of build-aux/bench-service
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
--   BENCH_RUN=ID wrk -H 'Authorization: Bearer …' -s bench-service.lua URL -- MODE FILE THREADS [DATE1 DATE2]
--
-- MODE is one of:
--   path  GET each line of FILE (a path and query) in turn; each thread
--         starts at its own place in the list.
--   save  PUT /v1/service-tasks/{id} with If-Match. FILE has one task a
--         line, "id<TAB>body", where the body's @DATE@ becomes DATE1 or
--         DATE2 in turn, so that consecutive saves differ. Thread t
--         (0-based) owns the lines n with n % THREADS == t and saves each
--         of its tasks on one connection at a time, with the version of the
--         last reply's ETag (a 412 carries the current version too) and an
--         Idempotency-Key of its own (BENCH_RUN, unique per run, keeps keys
--         apart from other runs'). Every run needs tasks of its own: they
--         start at version 1, or at the version of a third field,
--         "id<TAB>body<TAB>version" (build-aux/bench/deployments.py saves
--         the same tasks in many short runs).
--         Give each thread more tasks than connections: wrk calls request ()
--         once on thread 0 to check the script and never sends it, so that
--         task is never saved.
-- done () prints one line "BENCH key=value …" for the driver.

local threads = {}
local counter = 0

function setup (thread)
  thread:set ("thread_index", counter)
  counter = counter + 1
  table.insert (threads, thread)
end

local mode
local paths = {}
local next_path = 1

local tasks = {}            -- id → { body =, version = }
local order = {}            -- the ids of this thread
local free = {}             -- ids not in flight, first in first out
local free_head, free_tail = 1, 0
local sequence = 0
local run_id
local dates

-- Read by done () through thread:get ().
precondition_failed = 0
other_failures = 0
lost = 0

local function push_free (id)
  free_tail = free_tail + 1
  free[free_tail] = id
end

local function pop_free ()
  if free_head > free_tail then
    return nil
  end
  local id = free[free_head]
  free[free_head] = nil
  free_head = free_head + 1
  return id
end

function init (args)
  mode = args[1]
  local file = args[2]
  local n_threads = tonumber (args[3] or "1")
  run_id = os.getenv ("BENCH_RUN") or tostring (os.time ())
  dates = { args[4] or "2030-01-01", args[5] or "2030-01-02" }

  local n = 0
  for line in io.lines (file) do
    if mode == "save" then
      if n % n_threads == thread_index then
        -- "id<TAB>body" or "id<TAB>body<TAB>version" (the version the
        -- task has now, when an earlier run saved it).
        local id, body, version = line:match ("^([^\t]+)\t([^\t]*)\t(%d+)$")
        if id == nil then
          id, body = line:match ("^([^\t]+)\t(.*)$")
        end
        tasks[id] = { body = body, version = tonumber (version) or 1 }
        table.insert (order, id)
        push_free (id)
      end
    else
      table.insert (paths, line)
    end
    n = n + 1
  end

  if mode == "save" then
    if #order == 0 then
      error ("no service task for thread " .. thread_index)
    end
  else
    if #paths == 0 then
      error ("no paths in " .. file)
    end
    -- Reads need no response (): wrk then skips parsing.
    response = nil
    next_path = (thread_index * 7919) % #paths + 1
  end
end

function request ()
  if mode ~= "save" then
    local path = paths[next_path]
    next_path = next_path % #paths + 1
    return wrk.format ("GET", path)
  end

  sequence = sequence + 1

  local id = pop_free ()
  if id == nil then
    -- Replies without a task (a 5xx) lost some; take any: a stale
    -- version gets a 412 with the current one.
    id = order[sequence % #order + 1]
  end

  local task = tasks[id]
  -- wrk.format () uses these headers instead of wrk.headers (-H).
  local headers = {}
  for name, value in pairs (wrk.headers) do
    headers[name] = value
  end
  headers["Content-Type"] = "application/json"
  headers["If-Match"] = '"' .. task.version .. '"'
  headers["Idempotency-Key"] = "bench-" .. run_id .. "-" .. thread_index .. "-" .. sequence

  local body = task.body:gsub ("@DATE@", dates[sequence % 2 + 1])
  return wrk.format ("PUT", "/v1/service-tasks/" .. id, headers, body)
end

function response (status, headers, body)
  if status == 412 then
    precondition_failed = precondition_failed + 1
  elseif status ~= 200 then
    other_failures = other_failures + 1
  end

  -- The task's id is the first "id" of both the task and a 412's problem.
  local id = body:match ('"id":"([^"]+)"')
  local task = id and tasks[id]
  if task == nil then
    lost = lost + 1
    return
  end

  local etag = headers["ETag"] or headers["Etag"] or headers["etag"]
  local version = etag and tonumber (etag:match ("(%d+)"))
  if version then
    task.version = version
  end
  push_free (id)
end

function done (summary, latency, requests)
  local failed412, failed_other, lost_total = 0, 0, 0
  for _, thread in ipairs (threads) do
    failed412 = failed412 + (thread:get ("precondition_failed") or 0)
    failed_other = failed_other + (thread:get ("other_failures") or 0)
    lost_total = lost_total + (thread:get ("lost") or 0)
  end

  local errors = summary.errors
  io.write (string.format (
    "BENCH requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "status_errors=%d socket_errors=%d timeouts=%d precondition_failed=%d other_failures=%d lost=%d\n",
    summary.requests, summary.duration,
    summary.requests / (summary.duration / 1e6),
    latency:percentile (50), latency:percentile (90), latency:percentile (99), latency.max,
    errors.status, errors.connect + errors.read + errors.write, errors.timeout,
    failed412, failed_other, lost_total))
end

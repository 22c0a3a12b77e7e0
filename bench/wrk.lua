-- Chibo's load mix for wrk (bench/load.py writes the plan and starts wrk).
--
-- Run with one connection per thread (wrk -tN -cN): each response then
-- answers the request this thread sent last, so every response is checked
-- against what its request expects, and every save is accounted for.
--
-- A save is what a person does: open the form (GET), send it back (POST).
-- The body is the form as the benchmark read it, with the hidden fields (the
-- CSRF token, a version…) taken fresh from the form just opened, and the
-- marker BENCHTOKEN replaced by a token unique to the request; the tokens of
-- the saves answered with success are checked in the database afterwards.
--
-- Every request says X-Forwarded-Proto: https, as nginx terminating TLS
-- does (docs/deploy.md), and a save sends the site's Origin, as a browser
-- does: CSRF protection checks it on HTTPS. A save spread over several
-- sheets has variants: thread N saves variant N (modulo their number), so
-- that two threads never save the same sheet at once.
--
-- Environment: CHIBO_WRK_PLAN (a Lua file returning the plan), CHIBO_WRK_OUT
-- (where done() writes its JSON), CHIBO_WRK_RUN (a prefix for the tokens).

local threads = {}
local thread_count = 0

function setup(thread)
   thread:set("id", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

function init(args)
   plan = dofile(os.getenv("CHIBO_WRK_PLAN"))
   run = os.getenv("CHIBO_WRK_RUN") or "" -- tokens stay unique across runs
   position = (id * 7919) % #plan.order + 1 -- each thread starts elsewhere in the mix
   stats = {}
   saves = {}
   sent = 0
   current = nil
   pending = nil
end

-- Flat tables only: wrk segfaults copying nested tables out of a thread.
-- stats["<kind>\tok"] = count, stats["<kind>\tbad"] = count,
-- stats["<kind>\tstatuses"] = the first unexpected statuses.
local function count(kind, status, ok)
   local key = kind .. (ok and "\tok" or "\tbad")
   stats[key] = (stats[key] or 0) + 1
   if not ok then
      local seen = stats[kind .. "\tstatuses"] or ""
      if #seen < 200 then
         stats[kind .. "\tstatuses"] = seen .. status .. " "
      end
   end
end

local function urlencode(text)
   return (text:gsub("[^%w%-%._~]", function(c)
      return string.format("%%%02X", string.byte(c))
   end))
end

local function unescape_html(text)
   text = text:gsub("&quot;", '"'):gsub("&#x27;", "'"):gsub("&#39;", "'")
   text = text:gsub("&lt;", "<"):gsub("&gt;", ">"):gsub("&amp;", "&")
   return text
end

local function hidden_fields(body)
   local fields = {}
   for tag in body:gmatch("<input[^>]*>") do
      if tag:find('type="hidden"', 1, true) then
         local name = tag:match('name="([^"]*)"')
         if name then
            fields[name] = unescape_html(tag:match('value="([^"]*)"') or "")
         end
      end
   end
   return fields
end

local function form_body(variant, hidden, token)
   local parts = {}
   for _, pair in ipairs(variant.fields) do
      local name, value = pair[1], pair[2]
      if hidden[name] ~= nil and variant.overrides[name] == nil then
         value = hidden[name]
      end
      value = value:gsub("BENCHTOKEN", token)
      table.insert(parts, urlencode(name) .. "=" .. urlencode(value))
   end
   return table.concat(parts, "&")
end

function request()
   if pending ~= nil then
      current, pending = pending, nil
      return wrk.format("POST", current.variant.path, {
         ["Cookie"] = current.entry.cookie,
         ["Content-Type"] = "application/x-www-form-urlencoded",
         ["X-Forwarded-Proto"] = "https",
         ["Origin"] = plan.origin,
      }, current.body)
   end
   local entry = plan.requests[plan.order[position]]
   position = position % #plan.order + 1
   local variant = entry.variants[id % #entry.variants + 1]
   current = { entry = entry, variant = variant, step = (entry.save ~= "" and "form" or "get") }
   return wrk.format("GET", variant.path, {
      ["Cookie"] = entry.cookie,
      ["X-Forwarded-Proto"] = "https",
   })
end

function response(status, headers, body)
   local entry = current.entry
   if current.step == "form" then
      local ok = status == 200
      count(entry.kind .. " (open form)", status, ok)
      if ok then
         sent = sent + 1
         local token = run .. "w" .. id .. "-" .. sent
         pending = {
            entry = entry, variant = current.variant, step = "post", token = token,
            body = form_body(current.variant, hidden_fields(body), token),
         }
      end
   elseif current.step == "post" then
      local ok = status == entry.expect
      count(entry.kind, status, ok)
      table.insert(saves, entry.kind .. " " .. current.token .. " " .. (ok and "1" or "0"))
   else
      count(entry.kind, status, status == entry.expect)
   end
end

function done(summary, latency, requests)
   local out = io.open(os.getenv("CHIBO_WRK_OUT"), "w")
   local e = summary.errors
   out:write(string.format(
      '{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
      '"latency_us": {"p50": %d, "p95": %d, "p99": %d, "max": %d, "mean": %f}, "threads": [',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(95), latency:percentile(99),
      latency.max, latency.mean))
   for i, thread in ipairs(threads) do
      if i > 1 then out:write(", ") end
      out:write('{"stats": {')
      local first = true
      for key, value in pairs(thread:get("stats")) do
         if not first then out:write(", ") end
         first = false
         if type(value) == "number" then
            out:write(string.format('"%s": %d', key:gsub("\t", "|"), value))
         else
            out:write(string.format('"%s": "%s"', key:gsub("\t", "|"), value))
         end
      end
      out:write('}, "saves": [')
      for j, save in ipairs(thread:get("saves")) do
         if j > 1 then out:write(", ") end
         out:write('"' .. save .. '"')
      end
      out:write("]}")
   end
   out:write("]}\n")
   out:close()
end

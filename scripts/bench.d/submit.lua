-- wrk script: each request answers one survey link from the token file, POSTing the JSON
-- body the API expects. Each thread walks its own slice of the links, so with more links
-- than requests every request is a first answer. Usage: wrk -s submit.lua URL -- TOKENS QUESTIONS
local tokens = {}
local counter = 0
local threads = 0
-- The request is built once around a placeholder for the token; each request only joins
-- three strings (wrk.format per request cost wrk a quarter of its CPU, on cores the server
-- and PostgreSQL share).
local before, after

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
  local answers = {}
  for id in string.gmatch(args[2], "%d+") do answers[#answers + 1] = '"' .. id .. '":4' end
  local body = '{"answers":{' .. table.concat(answers, ",") .. '}}'
  local placeholder = "TOKEN-PLACEHOLDER"
  local request = wrk.format("POST", "/api/v1/survey/" .. placeholder, {["Content-Type"] = "application/json"}, body)
  local at = string.find(request, placeholder, 1, true)
  before, after = string.sub(request, 1, at - 1), string.sub(request, at + #placeholder)
  -- Threads start half the list apart (wrk -t2): no link is answered by both.
  counter = id * math.floor(#tokens / 2)
end

function request()
  counter = counter % #tokens + 1
  return before .. tokens[counter] .. after
end

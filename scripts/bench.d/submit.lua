-- wrk script: each request answers one survey link from the token file, POSTing the JSON
-- body the API expects. Each thread walks its own slice of the links, so with more links
-- than requests every request is a first answer. Usage: wrk -s submit.lua URL -- TOKENS QUESTIONS
local tokens = {}
local counter = 0
local body
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
  local answers = {}
  for id in string.gmatch(args[2], "%d+") do answers[#answers + 1] = '"' .. id .. '":4' end
  body = '{"answers":{' .. table.concat(answers, ",") .. '}}'
  -- Threads start half the list apart (wrk -t2): no link is answered by both.
  counter = id * math.floor(#tokens / 2)
end

function request()
  counter = counter % #tokens + 1
  return wrk.format("POST", "/api/v1/survey/" .. tokens[counter], {["Content-Type"] = "application/json"}, body)
end

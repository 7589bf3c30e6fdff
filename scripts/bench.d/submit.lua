-- wrk script: each request answers one survey link from the token file (round robin),
-- POSTing the JSON body the API expects. Usage: wrk -s submit.lua URL -- TOKENS QUESTIONS
local tokens = {}
local counter = 0
local body

function init(args)
  for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
  local answers = {}
  for id in string.gmatch(args[2], "%d+") do answers[#answers + 1] = '"' .. id .. '":4' end
  body = '{"answers":{' .. table.concat(answers, ",") .. '}}'
  -- Spread threads over the token list so they do not answer the same links.
  counter = math.random(#tokens)
end

function request()
  counter = counter % #tokens + 1
  return wrk.format("POST", "/api/v1/survey/" .. tokens[counter], {["Content-Type"] = "application/json"}, body)
end

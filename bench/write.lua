-- wrk script for bench/bench.py: every request records a new observation with one quote, as a
-- curator would. Slugs are unique per run (the prefix, given after `--`) and per request.
-- The Authorization and Content-Type headers come from wrk's -H options.

local counter = 0

function init(args)
   prefix = args[1] or "bench"
end

function request()
   counter = counter + 1
   local body = string.format(
      '{"slug":"%s-%d","kind":"market_reaction",' ..
      '"summary":"Markets reacted modestly to the framework.",' ..
      '"evidence":[{"source":"us-china-trade-framework-report",' ..
      '"quote":"Financial markets reacted modestly"}]}',
      prefix, counter)
   return wrk.format("POST", nil, nil, body)
end

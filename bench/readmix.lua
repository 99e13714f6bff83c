-- wrk script for bench/bench.py's after-write table: a read mix that cycles through many
-- distinct URLs (every commitment, filtered pages, searches, the full record), so that a write
-- that invalidates cached answers costs what it costs a real mix of readers.
-- The one argument after `--` is a file with one path and query string per line.

local paths = {}
local next_path = 0

function init(args)
   for line in io.lines(args[1]) do
      if line ~= "" then
         paths[#paths + 1] = line
      end
   end
end

function request()
   next_path = next_path % #paths + 1
   return wrk.format("GET", paths[next_path])
end

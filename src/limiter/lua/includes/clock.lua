--[[
  The limiter's one clock, included at the top of every limiter script (scripts.ts prepends it).

  Every moment a script uses comes from Redis's own TIME, so hosts whose clocks disagree still get one answer:
  a pause ends at the same moment for all of them and a DM is counted on one UTC day. Redis 5+ replicates a
  script's effects, not the script, so reading TIME before writing is allowed (and the only mode in Redis 7).

  ARGV[1] of every script is a shift in ms added to TIME: always 0 in production. It exists only for tests on
  Temporal's time-skipping server, whose skipped hours Redis cannot see.
]]
local DAY_MS = 86400000

--- Redis's clock in epoch ms, plus the shift.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
end

--- The UTC day of an epoch-ms moment, 'YYYY-MM-DD' (days-to-civil, proleptic Gregorian; no os.date in Redis).
local function utc_day(ms)
  local z = math.floor(ms / DAY_MS) + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp + 3
  if mp >= 10 then m = mp - 9 end
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  return string.format('%04d-%02d-%02d', y, m, d)
end

--- The next 00:00 UTC after an epoch-ms moment, epoch ms: when the daily quotas reset.
local function next_utc_midnight(ms)
  return (math.floor(ms / DAY_MS) + 1) * DAY_MS
end

--[[
  Checks and consumes several quota counters at once: all of them, or none. A daily counter is the one of the
  current UTC day by Redis's clock, so two hosts on either side of midnight count on one day. What was taken is
  written down under a claim id, so a caller that lost the reply (a Redis timeout after counting) or whose call
  never reached Telegram gives back exactly that, once (release-claim.lua).

  KEYS[1..n]     quota counters: for a daily quota the stem its UTC day is appended to (same hash tag, so the
                 same slot); for a ceiling the counter itself
  KEYS[n+1]      the claim (hash: counter key -> amount taken)
  ARGV[1]        clock shift, ms (0 but in time-skipping tests)
  ARGV[2]        amount to consume from each
  ARGV[3]        how long a daily counter outlives its day, ms
  ARGV[4]        claim time to live, ms
  ARGV[4+2i-1]   limit of KEYS[i]
  ARGV[4+2i]     'daily' or 'ceiling' (a ceiling is not reset: MAX_GROUPS)

  Returns  {1, resetsAt, used_1, ..., used_n}   consumed; the counts after it
           {0, resetsAt, i, used_i}             KEYS[i] would pass its limit; nothing was consumed
           resetsAt: the next 00:00 UTC by Redis's clock, epoch ms
]]
local now = now_ms()
local n = #KEYS - 1
local amount = tonumber(ARGV[2])
local grace = tonumber(ARGV[3])
local day = utc_day(now)
local reset = next_utc_midnight(now)

local counters = {}
for i = 1, n do
  if ARGV[4 + 2 * i] == 'daily' then counters[i] = KEYS[i] .. day else counters[i] = KEYS[i] end
end

for i = 1, n do
  local used = tonumber(redis.call('GET', counters[i]) or '0')
  if used + amount > tonumber(ARGV[3 + 2 * i]) then
    return {0, reset, i, used}
  end
end

local out = {1, reset}
local claim = KEYS[n + 1]
for i = 1, n do
  out[#out + 1] = redis.call('INCRBY', counters[i], amount)
  if ARGV[4 + 2 * i] == 'daily' then redis.call('PEXPIREAT', counters[i], reset + grace) end
  redis.call('HSET', claim, counters[i], amount)
end
redis.call('PEXPIRE', claim, tonumber(ARGV[4]))
return out

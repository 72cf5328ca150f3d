--[[
  Pauses every call of an account for a while from now, Redis's now (FLOOD_WAIT, SLOWMODE_WAIT). A later moment
  already set wins.

  KEYS[1]  account pause (epoch ms)
  KEYS[2]  stem of the per-day stats hashes; the UTC day is appended (same hash tag, so the same slot)
  ARGV[1]  clock shift, ms (0 but in time-skipping tests)
  ARGV[2]  pause length, ms
  ARGV[3]  stats time to live, ms

  Returns  the moment the account is paused until (epoch ms)
]]
local now = now_ms()
local untilMs = now + tonumber(ARGV[2])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current > untilMs then untilMs = current end
if untilMs > now then
  redis.call('SET', KEYS[1], untilMs, 'PX', untilMs - now)
end
local stats = KEYS[2] .. utc_day(now)
redis.call('HINCRBY', stats, 'flood_waits', 1)
redis.call('PEXPIRE', stats, tonumber(ARGV[3]))
return untilMs

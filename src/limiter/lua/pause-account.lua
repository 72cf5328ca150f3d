--[[
  Pauses every call of an account until a moment (FLOOD_WAIT, SLOWMODE_WAIT). A later moment already set wins.

  KEYS[1]  account pause (epoch ms)
  KEYS[2]  the day's stats hash
  ARGV[1]  now, epoch ms
  ARGV[2]  until, epoch ms
  ARGV[3]  stats time to live, ms

  Returns  the moment the account is paused until (epoch ms)
]]
local now = tonumber(ARGV[1])
local untilMs = tonumber(ARGV[2])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current > untilMs then untilMs = current end
if untilMs > now then
  redis.call('SET', KEYS[1], untilMs, 'PX', untilMs - now)
end
redis.call('HINCRBY', KEYS[2], 'flood_waits', 1)
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[3]))
return untilMs

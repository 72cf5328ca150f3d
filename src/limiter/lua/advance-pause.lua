--[[
  Counts what a call did (members fetched, messages sent, joins) and pauses the call's group each time the
  count crosses a multiple of `every`.

  KEYS[1]  counter
  KEYS[2]  the group's pause (epoch ms)
  ARGV[1]  clock shift, ms (0 but in time-skipping tests)
  ARGV[2]  amount to add
  ARGV[3]  every: pause each time the counter crosses a multiple of it
  ARGV[4]  pause length, ms (0: count only)
  ARGV[5]  counter time to live, ms

  Returns  {count, pausedUntil}   the count after it; pausedUntil is 0 when this call set no pause
]]
local now = now_ms()
local amount = tonumber(ARGV[2])
local every = tonumber(ARGV[3])
local pauseMs = tonumber(ARGV[4])

local before = tonumber(redis.call('GET', KEYS[1]) or '0')
local after = redis.call('INCRBY', KEYS[1], amount)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[5]))

if pauseMs > 0 and math.floor(after / every) > math.floor(before / every) then
  local untilMs = now + pauseMs
  local current = tonumber(redis.call('GET', KEYS[2]) or '0')
  if current > untilMs then untilMs = current end
  redis.call('SET', KEYS[2], untilMs, 'PX', untilMs - now)
  return {after, untilMs}
end
return {after, 0}

--[[
  Takes one token from an account's bucket, unless the account or the call's pause group is paused.

  KEYS[1]  bucket hash {tokens, ts}
  KEYS[2]  account pause (epoch ms, set on FLOOD_WAIT / SLOWMODE_WAIT)
  KEYS[3]  pause of the call's group (epoch ms, the smart pauses; KEYS[2] again when the call has none)
  KEYS[4]  stem of the per-day stats hashes; the UTC day (Redis's clock) is appended
  ARGV[1]  clock shift, ms (0 but in time-skipping tests; see includes/clock.lua)
  ARGV[2]  rate, tokens per second
  ARGV[3]  burst, the bucket's size
  ARGV[4]  operation name (stats field suffix)
  ARGV[5]  1 on the first attempt of an acquire (counts it as throttled when refused), else 0
  ARGV[6]  stats time to live, ms
  ARGV[7]  hold, ms: on a grant, pause the call's group for this long (0: none); spaces joins across processes

  Returns  {1, 0, 'granted', grantedAt}          a token was taken at grantedAt (epoch ms)
           {0, waitMs, 'flood', untilMs}          the account is paused until untilMs
           {0, waitMs, 'pause', untilMs}          the call's group is paused until untilMs
           {0, waitMs, 'rate', nextTokenAt}       no token yet; one is there after waitMs
]]
local now = now_ms()
local stats = KEYS[4] .. utc_day(now)
local perMs = tonumber(ARGV[2]) / 1000
local burst = tonumber(ARGV[3])
local op = ARGV[4]
local first = ARGV[5] == '1'
local statsTtl = tonumber(ARGV[6])
local hold = tonumber(ARGV[7])

local function throttled()
  if first then
    redis.call('HINCRBY', stats, 'throttled:' .. op, 1)
    redis.call('PEXPIRE', stats, statsTtl)
  end
end

-- Pauses first: a paused account takes no token, so its bucket is full when the pause ends.
local flood = tonumber(redis.call('GET', KEYS[2]) or '0')
local group = tonumber(redis.call('GET', KEYS[3]) or '0')
if flood > now or group > now then
  throttled()
  if flood >= group then
    return {0, flood - now, 'flood', flood}
  end
  return {0, group - now, 'pause', group}
end

local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
-- Redis's clock may step back (a failover to a replica a little behind): never refill backwards.
local t = now
if ts > t then t = ts end
tokens = math.min(burst, tokens + (t - ts) * perMs)

if tokens >= 1 then
  tokens = tokens - 1
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', t)
  redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / perMs) + 1000)
  redis.call('HINCRBY', stats, 'calls:' .. op, 1)
  redis.call('PEXPIRE', stats, statsTtl)
  if hold > 0 and KEYS[3] ~= KEYS[2] then
    redis.call('SET', KEYS[3], t + hold, 'PX', hold)
  end
  return {1, 0, 'granted', t}
end

throttled()
local wait = math.ceil((1 - tokens) / perMs)
return {0, wait, 'rate', t + wait}

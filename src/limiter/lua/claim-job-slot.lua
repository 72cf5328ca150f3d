--[[
  Claims a job slot for one user's run: the user's jobs in the last hour, the user's jobs running now and the jobs
  running now across every user must all stay within their limits. All or nothing; claiming again for a run that
  holds a slot is granted and changes nothing (an activity retried after a lost reply).

  KEYS[1]  the user's started jobs (sorted set: run id -> start, epoch ms)
  KEYS[2]  the user's running jobs (sorted set: run id -> slot expiry, epoch ms)
  KEYS[3]  every running job (sorted set: "user/run id" -> slot expiry, epoch ms)
  ARGV[1]  now, epoch ms; empty: Redis's own clock (TIME), so hosts with skewed clocks agree
  ARGV[2]  run id
  ARGV[3]  member of KEYS[3] ("user/run id")
  ARGV[4]  jobs per hour per user
  ARGV[5]  jobs at once per user
  ARGV[6]  jobs at once, all users
  ARGV[7]  slot time to live, ms (a job that dies without releasing frees its slot then)

  Returns  {1, now}                          claimed (or already held)
           {0, now, reason, retryAt}         refused; reason 'hourly' | 'running' | 'global', retryAt epoch ms
]]
local HOUR = 3600000
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local run, member = ARGV[2], ARGV[3]
local perHour, atOnce, globalAtOnce, ttl = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])

-- Forget starts older than an hour and slots whose job never released them.
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - HOUR)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)

if redis.call('ZSCORE', KEYS[2], run) then return {1, now} end

local function first(key)
  local got = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return tonumber(got[2])
end

-- A run that started this hour (and was released) does not count twice when it claims again.
if not redis.call('ZSCORE', KEYS[1], run) and redis.call('ZCARD', KEYS[1]) >= perHour then
  return {0, now, 'hourly', first(KEYS[1]) + HOUR}
end
if redis.call('ZCARD', KEYS[2]) >= atOnce then return {0, now, 'running', first(KEYS[2])} end
if redis.call('ZCARD', KEYS[3]) >= globalAtOnce then return {0, now, 'global', first(KEYS[3])} end

redis.call('ZADD', KEYS[1], now, run)
redis.call('PEXPIRE', KEYS[1], HOUR)
redis.call('ZADD', KEYS[2], now + ttl, run)
redis.call('PEXPIRE', KEYS[2], ttl)
redis.call('ZADD', KEYS[3], now + ttl, member)
redis.call('PEXPIRE', KEYS[3], ttl)
return {1, now}

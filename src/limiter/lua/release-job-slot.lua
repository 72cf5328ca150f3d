--[[
  Gives back a run's job slot (its start still counts for the hour). Releasing twice, or a slot that expired, is a
  no-op.

  KEYS[1]  the user's running jobs (sorted set: run id -> slot expiry, epoch ms)
  KEYS[2]  every running job (sorted set: "user/run id" -> slot expiry, epoch ms)
  ARGV[1]  now, epoch ms; empty: Redis's own clock (TIME)
  ARGV[2]  run id
  ARGV[3]  member of KEYS[2] ("user/run id")

  Returns  1 when the run held a live slot, 0 when it held none (released before, or expired)
]]
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local expiry = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[2]) or '0')
redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[3])
if expiry > now then return 1 end
return 0

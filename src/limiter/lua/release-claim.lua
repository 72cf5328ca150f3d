--[[
  Gives back what one consume-quotas.lua call took, at most once: after a call that never reached Telegram (a
  flood wait or another refusal, a connection that was never made), or when the reply of the consume was lost.
  A claim that does not exist (never taken, already given back, expired) gives back nothing.

  KEYS[1]  the claim (hash: counter key -> amount), written by consume-quotas.lua; its counters share its hash tag

  Returns  {counter_1, used_1, ...}   each counter given back to and its count after it (empty: nothing to give)
]]
local claim = redis.call('HGETALL', KEYS[1])
local out = {}
for i = 1, #claim, 2 do
  local key = claim[i]
  local used = tonumber(redis.call('GET', key) or '0')
  local after = math.max(0, used - tonumber(claim[i + 1]))
  -- KEEPTTL: a daily counter keeps its reset time.
  if used > 0 then redis.call('SET', key, after, 'KEEPTTL') end
  out[#out + 1] = key
  out[#out + 1] = after
end
redis.call('DEL', KEYS[1])
return out

--[[
  Checks and consumes several quota counters at once: all of them, or none.

  KEYS[1..n]     quota counters
  ARGV[2i-1]     limit of KEYS[i]
  ARGV[2i]       time to live of KEYS[i] in ms (0: keep, for ceilings that are not reset)
  ARGV[2n+1]     amount to consume from each

  Returns  {1, used_1, ..., used_n}   consumed; the counts after it
           {0, i, used_i}             KEYS[i] would pass its limit; nothing was consumed
]]
local n = #KEYS
local amount = tonumber(ARGV[2 * n + 1])

for i = 1, n do
  local used = tonumber(redis.call('GET', KEYS[i]) or '0')
  if used + amount > tonumber(ARGV[2 * i - 1]) then
    return {0, i, used}
  end
end

local out = {1}
for i = 1, n do
  out[#out + 1] = redis.call('INCRBY', KEYS[i], amount)
  local ttl = tonumber(ARGV[2 * i])
  if ttl > 0 then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return out

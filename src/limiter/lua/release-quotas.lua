--[[
  Gives back quota by counter: after a leave (one group fewer). Never goes below zero. A call that never
  happened gives back its claim instead (release-claim.lua).

  KEYS[1..n]  quota counters
  ARGV[1]     amount to give back to each

  Returns     {used_1, ..., used_n}, the counts after it
]]
local amount = tonumber(ARGV[1])
local out = {}
for i = 1, #KEYS do
  local used = tonumber(redis.call('GET', KEYS[i]) or '0')
  local after = math.max(0, used - amount)
  if used > 0 then
    -- KEEPTTL: a daily counter keeps its reset time.
    redis.call('SET', KEYS[i], after, 'KEEPTTL')
  end
  out[#out + 1] = after
end
return out

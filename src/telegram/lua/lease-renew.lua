--[[
  Extends an account's connection lease, only if this process still holds it.

  KEYS[1]  the lease (string: the holder's JSON record)
  ARGV[1]  the record this process wrote when it took the lease
  ARGV[2]  new time to live, ms

  Returns  1 when extended, 0 when the lease is gone or held by another process
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
return 0

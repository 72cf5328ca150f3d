--[[
  Gives an account's connection lease back, only if this process holds it (compare and delete).

  KEYS[1]  the lease (string: the holder's JSON record)
  ARGV[1]  the record this process wrote when it took the lease

  Returns  1 when released, 0 when the lease was already gone or held by another process
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0

-- 1M map inserts under string keys built per iteration, then 1M lookups.
local function main()
  local m = {}
  for i = 0, 1000000 - 1 do
    m["k" .. i] = i
  end
  local total = 0
  for i = 0, 1000000 - 1 do
    total = total + m["k" .. i]
  end
  print(string.format("%d", total))
end
main()

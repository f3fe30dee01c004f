-- Build a 1M-element list with push, then sum it.
local function main()
  local xs = {}
  for i = 0, 1000000 - 1 do
    xs[#xs + 1] = i
  end
  local total = 0
  for _, x in ipairs(xs) do
    total = total + x
  end
  print(string.format("%d", total))
end
main()

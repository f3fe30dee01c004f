-- A 50-million-iteration integer loop on locals, inside a function.
local function run()
  local sum = 0
  for i = 0, 50000000 - 1 do
    sum = sum + i
  end
  return sum
end
print(string.format("%d", run()))

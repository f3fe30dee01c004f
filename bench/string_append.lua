-- 100k appends to one string (Lua strings are immutable: each copies).
local function main()
  local s = ""
  for i = 1, 100000 do
    s = s .. "x"
  end
  print(#s)
end
main()

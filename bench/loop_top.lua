-- The same loop at top level; `sum` is a global to mirror Boc, where
-- top-level variables are globals.
sum = 0
for i = 0, 50000000 - 1 do
  sum = sum + i
end
print(string.format("%d", sum))

-- Recursive calls: fib(30) makes about 2.7 million calls.
local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end
print(string.format("%d", fib(30)))

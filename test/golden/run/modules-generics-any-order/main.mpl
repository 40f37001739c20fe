# Uses come before the imports that provide them; generic functions and types cross modules.
fn main() do
  let s = Stack.push(Stack.push(Stack.empty(), 1), 2)
  println("${Stack.peek(s)} ${Stack.size(s)}")
  let names = Stack.push(Stack.empty(), "ann")
  println("${Stack.peek(names)} ${pair_map((1, 2), fn x -> x * 10 end)}")
  println(describe(Box { value: 3.5 }) <> " " <> describe(Box { value: "hi" }))
  println("${largest([3, 9, 2])} ${largest(["pear", "apple"])}")
end

import Data.Stack
from Util.Generic import pair_map, describe, largest, Box

##! Printing and comments
#= block #= nested =# still a comment =#
fn main() do
  let who = "orbit" # trailing comment
  let n = 7
  println("launch ${who} in ${n} steps")
  print("no newline, ")
  println("then newline")
  println("sum=${n + 3} ok=${n > 5} nested=${"[${n * 2}]"}"); println("same line")
end

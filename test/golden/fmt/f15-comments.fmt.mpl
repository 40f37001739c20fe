# leading comment

import A # trailing on import
# before B
import B

fn main() do # after do
  # first statement comment
  let x = 1 # trailing
  #= inline block =#
  let y = 2

  # free-standing in body

  foo(
    x, # after first arg
    y
  )
  # at end of body
end

#= a block
   comment spanning
   lines =#
fn other() = [
  1, # one
  2
]

# final comment

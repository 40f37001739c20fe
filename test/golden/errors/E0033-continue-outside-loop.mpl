fn main() do
  for x in [1, 2] do
    let g = fn -> continue end
    x
  end
end

struct Box do
  w :: Int
  h :: Int
end

fn area(b :: Box) -> Int = b.w * b.h

fn main() do
  let b = Box {
    w: 3
    h: 4
  }
  let total = (b
    |> area) +
    1
  let label = "total" <>
    ": "
  println(label <> "${total}")
  let xs = List.map([1, 2], fn(v) do
    let w = v * 10
    w + 1
  end)
  println("${xs}")
end

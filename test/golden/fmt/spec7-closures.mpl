fn main() do
  let total = List.reduce(items, 0, fn(acc, item) do
    let cost = item.price * item.qty
    acc + cost
  end)
  let inc = fn(x) -> x + 1 end
  let pick = fn 0 -> "zero" | n when n < 0 -> "negative" | _ -> "positive" end
end

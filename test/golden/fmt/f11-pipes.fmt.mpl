fn f(xs) = xs
  |> List.map(fn x -> x + 1 end)
  |> List.sum

fn g(xs) do
  let n = List.length(xs |> List.reverse)
  if xs |> List.is_empty do
    return xs
      |> List.reverse
  end
  case xs do
    [] -> xs
      |> List.reverse
      |> List.sum
    _ -> 0
  end
end

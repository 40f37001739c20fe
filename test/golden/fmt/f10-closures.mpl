fn main() do
  let a = fn -> 42 end
  let b = fn do work() end
  let c = fn acc, x -> acc + x end
  let d = fn 0 -> "zero" | n when n < 0 -> "a very long description of a negative number here" | _ -> "a positive number, described at length" end
  List.each(xs, fn x ->
    println(x)
    println(x)
  end)
end

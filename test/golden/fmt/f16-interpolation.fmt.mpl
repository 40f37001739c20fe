fn main() do
  println("a ${x + 1} b ${if ok do "y" else "n" end} c ${xs |> List.sum}")
  println("verbatim ${ case x do
    1 -> "one"
    _ -> "other"
  end } end")
  println("""triple ${x}""")
end

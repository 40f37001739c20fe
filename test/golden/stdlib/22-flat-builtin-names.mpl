# The original Mesh's flat built-in names: aliases of the module functions.
service Counter do
  fn init() -> Int do
    0
  end

  call Bump() :: Int do |n|
    (n + 1, n + 1)
  end
end

fn tail(xs :: List<Int>) -> String do
  "my own tail of ${List.length(xs)}"
end

fn main() do
  let s = "  Hello, World  "
  println("${string_length(s)} [${string_trim(s)}] ${string_to_upper("ab")} ${string_to_lower("CD")}")
  println("${string_contains(s, "World")} ${string_starts_with("abc", "ab")} ${string_ends_with("abc", "bc")}")
  println(string_replace("a-b-c", "-", "+") <> " " <> string_join(string_split("x,y,z", ","), "|") <> " " <> string_slice("abcdef", 1, 3))
  println("${string_to_int("42")} ${string_to_float("2.5")} ${string_to_int("x")}")
  let xs = list_append(list_append(list_new(), 1), 2)
  let ys = list_concat(xs, [3, 4])
  println("${list_length(ys)} ${list_head(ys)} ${list_tail(ys)} ${list_get(ys, 2)} ${list_reverse(ys)}")
  println("${list_map(ys, fn(x) -> x * 10 end)} ${list_filter(ys, fn(x) -> x > 2 end)} ${list_reduce(ys, 0, fn(a, x) -> a + x end)}")
  println("${map(ys, fn(x) -> x + 1 end)} ${filter(ys, fn(x) -> x < 3 end)} ${reduce(ys, 1, fn(a, x) -> a * x end)} ${head(ys)}")
  println(tail(ys))
  let c = Counter.start()
  println("${list_map(ys, fn(x) -> Counter.bump(c) + x end)}")
  let path = "/tmp/mesh-flat-names.txt"
  let _ = file_write(path, "one")
  let _ = file_append(path, "+two")
  println("${file_exists(path)} ${file_read(path)}")
  let _ = file_delete(path)
  println("${file_exists(path)} ${env_get("MESH_FLAT_NOT_SET")}")
  io_eprintln("to stderr")
end

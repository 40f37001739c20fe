struct Job do
  owner :: Pid
end deriving(Json)

fn main() do
  println("x")
end

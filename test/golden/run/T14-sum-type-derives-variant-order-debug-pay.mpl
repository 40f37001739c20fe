type Level do
  Low
  Mid(Int)
  High(String, Int)
end deriving(Eq, Ord, Display)

type Mood do
  Calm
  Storm(Int)
end

fn main() do
  println("${[Low, Mid(3), High("x", 2)]}")
  println("${Mid(3) == Mid(3)} ${Low < Mid(0)} ${Mid(9) < Mid(2)} ${High("a", 1) > Mid(100)}")
  println("${Storm(4)} ${Calm}")
end

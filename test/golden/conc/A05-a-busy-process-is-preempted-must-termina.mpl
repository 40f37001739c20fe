type Ctl do
  Halt
end

fn spin(n :: Int) -> Int do
  if n == 0 do 0 else spin(n - 1) end
end

actor hog(rounds :: Int) do
  let _ = spin(1000)
  receive do
    Halt -> println("hog stopped")
  after 0 -> hog(rounds + 1)
  end
end

actor pinger(target) do
  Timer.sleep(20)
  send(target, Halt)
  println("pinger woke")
end

fn main() do
  let h = spawn(hog, 0)
  spawn(pinger, h)
end

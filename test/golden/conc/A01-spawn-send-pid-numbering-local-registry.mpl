type WorkMsg do
  Ask(Int)
end

fn echo_text(n :: Int) -> String do
  "echo got ${n}"
end

actor echo_once() do
  receive do
    Ask(n) -> println(echo_text(n))
  end
  println("echo is ${self()}")
end

fn main() do
  println("main is ${Process.self()}")
  let p = spawn(echo_once)
  println("spawned ${p}")
  let first = Process.register("echo", p)
  let second = Process.register("echo", p)
  println("register: ${first} then ${second}")
  send(Process.whereis("echo"), Ask(7))
  let nobody = Process.whereis("nobody")
  println("null pid ${nobody}, is null: ${nobody == 0}")
  Timer.sleep(10)
  let gone = Process.whereis("echo")
  println("name gone after exit: ${gone == 0}")
  let again = Process.register("echo", Process.self())
  println("re-register: ${again}")
end

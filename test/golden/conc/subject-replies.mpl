# Subjects: a plain function waits for a reply computed by another process (decision 76).
actor doubler() do
  receive do
    (n, reply) -> do
      Subject.send(reply, n * 2)
      doubler()
    end
  end
end

fn ask(worker :: Pid<(Int, Subject<Int>)>, n :: Int) -> Int do
  let reply = Subject.new()
  send(worker, (n, reply))
  case Subject.await(reply, 1000) do
    Ok(v) -> v
    Err(e) -> do
      println("error: " <> e)
      -1
    end
  end
end

fn main() do
  let w = spawn(doubler)
  println("${ask(w, 21)}")
  println("${ask(w, 5)}")
  # several values queue up in order
  let s :: Subject<String> = Subject.new()
  Subject.send(s, "a")
  Subject.send(s, "b")
  println("${Subject.await(s, 0)} ${Subject.await(s, 0)} ${Subject.await(s, 0)}")
  # nobody answers: a timeout is a value
  let quiet :: Subject<Int> = Subject.new()
  println("${Subject.await(quiet, 20)}")
  # only the owner may wait on it
  let other = spawn(fn -> println("${Subject.await(s, 0)}") end)
  Timer.sleep(10)
  # a job answers through the caller's subject
  let answer :: Subject<List<Int>> = Subject.new()
  let _ = Job.async(fn -> Subject.send(answer, [1, 2, 3]) end)
  println("${Subject.await(answer, 1000)}")
end

# Receive lowering: matchers return the arm index and leave the message in `$rm`; a matcher is a
# module constant (reads no local), made at actor entry (reads only parameters) or in place
# (reads a binding of the loop body); setActorArgs only with a terminate clause.
type Cmd do
  Put(String, Int)
  Drop(String)
  Flush
end

# ring node: catch-all arm, matcher reads nothing local
actor node(next :: Pid, driver :: Pid) do
  let m = receive do
    k -> k
  end
  if m == 0 do
    send(driver, 0)
  else
    send(next, m - 1)
    node(next, driver)
  end
end

# guard reads a parameter that each continuation changes
actor above(limit :: Int) do
  receive do
    n when n > limit -> above(n)
  after 1000 -> println("quiet above ${limit}")
  end
end

# guard reads a binding of the loop body
actor window(low :: Int) do
  let high = low + 10
  receive do
    n when n >= low and n < high -> window(n)
    _ -> window(low)
  end
end

# several arms with bindings, an or-pattern, a system arm and a terminate clause
actor store(count :: Int) do
  receive do
    Put(key, v) when v > 0 -> do
      println("put ${key}")
      store(count + 1)
    end
    Drop(key) | Put(key, _) -> do
      println("drop ${key}")
      store(count - 1)
    end
    Exit(_, why) -> println("exit ${why}")
    Flush -> println("flushed ${count}")
  end
terminate do
  println("store ends with ${count}")
end
end

fn main() do
  let s = spawn(store, 0)
  send(s, Put("a", 1))
  send(s, Drop("a"))
  send(s, Flush)
  let a = spawn(above, 0)
  send(a, 5)
  let w = spawn(window, 0)
  send(w, 3)
  spawn(node, s, s)
end

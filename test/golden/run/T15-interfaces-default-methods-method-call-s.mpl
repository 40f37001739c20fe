interface Describe do
  fn name(self) -> String
  fn describe(self) -> String do
    "<" <> self.name() <> ">"
  end
end

struct Cat do lives :: Int end
struct Robot do serial :: String end

impl Describe for Cat do
  fn name(self) -> String do "cat with ${self.lives} lives" end
end

impl Describe for Robot do
  fn name(self) -> String do "robot ${self.serial}" end
  fn describe(self) -> String do "[" <> self.name() <> "]" end
end

fn main() do
  let c = Cat { lives: 9 }
  let r = Robot { serial: "R2" }
  println(c.describe() <> " " <> r.describe() <> " " <> c.name())
end

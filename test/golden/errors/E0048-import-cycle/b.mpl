import A

pub fn b() -> Int = 2

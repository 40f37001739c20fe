pub fn shown() -> Int = 1

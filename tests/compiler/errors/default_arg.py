def f(x: int, y: int = 3) -> int:  # error: default arguments are outside the subset
    return x + y

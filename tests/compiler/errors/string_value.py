def f(x: int) -> int:
    name = "kernel"  # error: strings are outside the subset
    return x

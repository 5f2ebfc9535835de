def f(x: int) -> int:
    table = {1: 2}  # error: dicts are outside the subset
    return x

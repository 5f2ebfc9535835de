def f(xs: list[int]) -> int:
    xs[-1] = 3  # error: assignment through a negative index
    return xs[-1]

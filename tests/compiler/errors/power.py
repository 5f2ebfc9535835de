def square(x: int) -> int:
    return x ** 2  # error: `**` is outside the subset

def half(x: int) -> int:
    y = x * 0.5  # error: floats are outside the subset
    return x

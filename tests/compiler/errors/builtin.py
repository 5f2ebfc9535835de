def f(x: int) -> int:
    return sorted([x])[0]  # error: builtin `sorted()` is outside the subset

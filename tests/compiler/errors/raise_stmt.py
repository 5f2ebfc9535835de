def check(x: int) -> int:
    if x < 0:
        raise ValueError("negative")  # error: raise is outside the subset
    return x

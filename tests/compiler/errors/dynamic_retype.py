def f(x: int) -> int:
    y = x
    y = b"now bytes"  # error: `y` is int but is assigned a bytes
    return x

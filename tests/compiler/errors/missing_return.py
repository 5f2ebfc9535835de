def sign(x: int) -> int:  # error: may end without returning
    if x > 0:
        return 1

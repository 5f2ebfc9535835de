def countdown(n: int) -> int:
    if n == 0:
        return 0
    return countdown(n - 1)  # error: recursive call

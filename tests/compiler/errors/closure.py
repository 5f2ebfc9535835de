def outer(x: int) -> int:
    def inner(y: int) -> int:  # error: a nested function (closure) is outside the subset
        return x + y
    return inner(1)

COUNT: int = 0


def bump() -> int:
    global COUNT  # error: global is outside the subset
    return COUNT

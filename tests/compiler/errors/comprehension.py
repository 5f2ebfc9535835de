def squares(n: int) -> list[int]:
    return [i * i for i in range(n)]  # error: list comprehensions are outside the subset

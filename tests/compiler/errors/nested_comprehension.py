def pairs(n: int) -> list[int]:
    return [i * j for i in range(n) for j in range(i)]  # error: nested comprehensions are outside the subset


def lazy(n: int) -> int:
    g = (i for i in range(n))  # error: generator expressions (except in any()/all()) are outside the subset
    return n

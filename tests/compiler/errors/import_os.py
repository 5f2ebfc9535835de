import os  # error: `import module` is outside the subset


def f(x: int) -> int:
    return x

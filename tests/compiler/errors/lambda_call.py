def f(x: int) -> int:
    return (lambda y: y)(x)  # error: lambdas are outside the subset

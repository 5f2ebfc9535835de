def f(xs: list[int], data: bytes) -> int:
    acc = 0
    for i, x in enumerate(xs, 1):  # error: wrong arguments to enumerate()
        acc += x
    for y in zip(xs, xs):  # error: zip() loops unpack into 2 plain variables
        acc += 1
    if 3 in data:  # error: `in` works on a literal tuple or list of integers
        acc += 1
    return acc

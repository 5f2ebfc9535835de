def ident(x):  # error: parameter `x` has no type annotation
    return x

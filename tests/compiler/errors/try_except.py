def safe(x: int) -> int:
    try:  # error: try/except is outside the subset
        return x
    except ValueError:
        return 0

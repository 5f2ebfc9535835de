def ping(x: int) -> int:
    return pong(x)


def pong(x: int) -> int:
    return ping(x)  # error: recursive call (ping → pong → ping)

"""Code generation: typed IR to WAT, with runtime helpers and a peephole pass."""

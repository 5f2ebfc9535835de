"""Typed IR: node and type definitions, traversal, printer and optimisation passes."""

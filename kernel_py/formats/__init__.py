"""Byte formats of docs/FORMATS.md in the restricted subset: decoders (used by the kernel) and encoders."""

"""Hashes and signatures in the restricted subset: BLAKE2b, SHA-512, Ed25519."""

"""Front end: loads kernel_py sources, checks them against the subset and lowers them to typed IR."""

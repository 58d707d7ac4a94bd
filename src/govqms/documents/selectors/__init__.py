"""Every read of documented information, filtered to what the user may see;
one module per concern (`documents`, and the others beside it)."""

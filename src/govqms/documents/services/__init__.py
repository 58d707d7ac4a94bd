"""Every write to documented information, one module per concern:
`versions` (register, life of a version, sign-offs), and the others beside it."""

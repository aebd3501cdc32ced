"""Pure business rules: plain records and `today` in, results out; no I/O, no clock."""

"""`python -m sheetcrm` runs the command line."""

from sheetcrm.cli import main

main()

"""`python -m sheetcrm` runs the command line."""

from sheetcrm.entry import main

main()

"""The `sheetcrm` command's entry point: the command-line modules are imported with the
cyclic garbage collector paused. Importing pydantic, Jinja2, Babel and the rules makes
hundreds of thousands of objects and no garbage; collecting meanwhile costs 40 ms a start."""

import gc


def main() -> None:
    gc.disable()
    try:
        from sheetcrm.cli import main as cli_main
    finally:
        gc.enable()
    cli_main()

"""The command line: a thin shell. Each command parses options, loads settings, calls one
library function and renders its result. Known errors become one line and an exit code:
0 ok, 1 problems found (check), 2 configuration or usage error, 3 workbook not writable.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sheetcrm import clock, entry
from sheetcrm.errors import BackendError, ConfigError, SheetCRMError
from sheetcrm.markets import COUNTRIES

if TYPE_CHECKING:
    from sheetcrm.channels import MaskingFilter
    from sheetcrm.progress import Progress
    from sheetcrm.settings import Settings
    from sheetcrm.sync import SyncReport

# The pipeline, settings, channels and templates are imported by the commands that use them,
# not here: `sheetcrm --help` then starts in a fraction of the time.

EXIT_PROBLEMS = 1
EXIT_CONFIG = 2
EXIT_BACKEND = 3


class _Date(click.ParamType):  # type: ignore[type-arg]
    name = "YYYY-MM-DD"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date like 2027-02-01", param, ctx)


DATE = _Date()
_MASKS: list[MaskingFilter] = []


def _mask() -> MaskingFilter:
    """The one filter that hides phones, e-mails and the channels' secrets in log lines."""
    if not _MASKS:
        from sheetcrm.channels import MaskingFilter

        _MASKS.append(MaskingFilter())
    return _MASKS[0]


@click.group()
@click.option(
    "-c",
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="settings.yaml to use (default: ./settings.yaml if present, else the embedded demo).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log what the job does.")
@click.option(
    "-q", "--quiet", is_flag=True, help="No progress lines on a terminal during long runs."
)
@click.version_option(package_name="sheetcrm")
@click.pass_context
def cli(ctx: click.Context, config: Path | None, verbose: bool, quiet: bool) -> None:
    """sheetcrm: your shared customer workbook, run as a CRM."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    # Phones, e-mails and the channels' secrets never reach a log line (added on load).
    handler.addFilter(_mask())
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, handlers=[handler])
    ctx.obj = config
    ctx.meta["quiet"] = quiet


def _progress(ctx: click.Context) -> Progress:
    from sheetcrm.progress import on_terminal

    return on_terminal(bool(ctx.meta.get("quiet")))


def _today(settings: Settings) -> dt.date:
    from sheetcrm.sync import team_now

    return team_now(settings).date()


def _customers_option(default: int, help_text: str) -> Callable[[Callable[..., None]], Any]:
    """--customers for init and demo: at least one."""
    return click.option(
        "--customers",
        default=default,
        show_default=True,
        type=click.IntRange(min=1),
        help=help_text,
    )


def _machine_today() -> dt.date:
    # Before settings exist (init, demo) there is no team zone yet: the machine's own date.
    return clock.utc_now().astimezone().date()


def _settings(ctx: click.Context) -> Settings:
    from sheetcrm.channels import secrets_of
    from sheetcrm.settings import load_settings
    from sheetcrm.settings_file import settings_file

    settings = load_settings(settings_file(ctx.obj))
    _mask().add_secrets(secrets_of(settings.channels.values()))
    return settings


def _last_run(run: Callable[[], SyncReport]) -> SyncReport:
    """A sync's or check's run; in a process that ends with its command (sheetcrm.entry),
    the cyclic collector stays off after it and its report (the workbook read with it) is
    left to the exit: the collector's first pass over it and freeing it object by object
    took 0.07 s after a sync of 10,000 customers, memory the exit hands back at once."""
    if entry.ENDS_WITH_COMMAND:
        gc.disable()
    report = run()
    entry.left_for_exit(report)
    return report


@cli.command()
@click.option("--today", type=DATE, help="Reference date (default: today in schedule.timezone).")
@click.option("--limit", default=20, show_default=True, help="Problems listed on screen.")
@click.pass_context
def check(ctx: click.Context, today: dt.date | None, limit: int) -> None:
    """Validate every sheet and list the problems; write nothing."""
    from sheetcrm import sync
    from sheetcrm.views import render_report

    settings = _settings(ctx)
    report = _last_run(lambda: sync.check(settings, today=today or _today(settings)))
    click.echo(render_report(report, limit=limit))
    ctx.exit(EXIT_PROBLEMS if report.problems else 0)


@cli.command("sync")
@click.option("--today", type=DATE, help="Reference date (default: today in schedule.timezone).")
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@click.option("--limit", default=20, show_default=True, help="Problems listed on screen.")
@click.pass_context
def sync_command(ctx: click.Context, today: dt.date | None, dry_run: bool, limit: int) -> None:
    """Validate, compute tiers and plans, send what is due, write the owned columns back."""
    from sheetcrm import sync
    from sheetcrm.views import render_report

    settings = _settings(ctx)
    report = _last_run(
        lambda: sync.run(
            settings, today=today or _today(settings), dry_run=dry_run, progress=_progress(ctx)
        )
    )
    click.echo(render_report(report, limit=limit))


@cli.command()
@click.option("--today", type=DATE, help="First day to look at (default: the local date).")
@click.option("--days", default=1, show_default=True, help="How many days to look ahead.")
@click.option("--short", is_flag=True, help="One line per message: its subject, not its text.")
@click.pass_context
def preview(ctx: click.Context, today: dt.date | None, days: int, short: bool) -> None:
    """Print what would be sent, to whom and why; send and write nothing."""
    from sheetcrm.preview import preview as preview_messages
    from sheetcrm.views import render_preview

    settings = _settings(ctx)
    lines = preview_messages(settings, today=today or _today(settings), days=days)
    click.echo(render_preview(lines, short=short))


@cli.command()
@click.pass_context
def run(ctx: click.Context) -> None:
    """Sync every day at schedule.at (schedule.timezone) until stopped; catch up a missed run."""
    from sheetcrm import sync
    from sheetcrm.state import workbook_state
    from sheetcrm.timetable import run_forever
    from sheetcrm.views import render_report

    settings = _settings(ctx)

    def job(today: dt.date) -> dt.datetime | None:
        report = sync.run(settings, today=today, progress=_progress(ctx))
        click.echo(render_report(report))
        return sync.quiet_hours_wake(settings, report, sync.team_now(settings))

    click.echo(
        f"Running every day at {settings.schedule.at} ({settings.schedule.timezone}); "
        "stop with Ctrl+C or SIGTERM."
    )
    run_forever(
        job,
        at=settings.schedule.at,
        timezone=settings.schedule.timezone,
        state_dir=workbook_state(settings),
    )


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--language",
    type=click.Choice(["en", "zh-Hans", "zh-Hant", "es"]),
    default="zh-Hans",
    show_default=True,
    help="Language of the sheet names, headers and sample data.",
)
@click.option(
    "--country",
    type=click.Choice(COUNTRIES, case_sensitive=False),
    default=None,
    help="The shop's country when not the language's usual one (zh-Hant: TW; es: ES; "
    "en: US): its festive days, time zone, currency and how dates are typed.",
)
@_customers_option(30, "Sample customers.")
@click.option(
    "--google",
    "address",
    metavar="URL",
    help="A new Google Sheet, shared with the service account: settings.yaml names it and "
    "the starter's sheets are created in it (headers only without --sample).",
)
@click.option(
    "--credentials",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("service-account.json"),
    show_default=True,
    help="With --google: the service account's JSON key.",
)
@click.option("--sample", is_flag=True, help="With --google: sample rows as well.")
@click.option("--endpoint", default=None, hidden=True)  # an emulator or a proxy
def init(
    directory: Path,
    language: str,
    country: str | None,
    customers: int,
    address: str | None,
    credentials: Path,
    sample: bool,
    endpoint: str | None,
) -> None:
    """Create DIRECTORY with a starter workbook (sample data) and its settings.yaml; with
    --google, settings.yaml for a Google Sheet whose sheets it creates."""
    if address is not None:
        from sheetcrm.google.starter import create_google_starter

        settings = create_google_starter(
            directory,
            address=address,
            credentials=credentials,
            endpoint=endpoint,
            language=language,
            customers=customers,
            sample=sample,
            today=_machine_today(),
            country=country.upper() if country else None,
        )
        click.echo(f"Created {settings} and the sheets of the Google Sheet.")
        click.echo(f"Next: sheetcrm -c {settings} check")
        return
    from sheetcrm.starter import create_starter

    created = create_starter(
        directory,
        language=language,
        customers=customers,
        today=_machine_today(),
        country=country.upper() if country else None,
    )
    click.echo(f"Created {created.workbook} and {created.settings}.")
    click.echo(f"Next: sheetcrm -c {created.settings} check")


@cli.command()
@_customers_option(1000, "Number of customers.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--seed", default=7, show_default=True)
@click.option(
    "--language",
    type=click.Choice(["en", "zh-Hans", "zh-Hant", "es"]),
    default="zh-Hans",
    show_default=True,
)
@click.option("--today", type=DATE, help="Dates are generated up to this day.")
def demo(customers: int, out: Path, seed: int, language: str, today: dt.date | None) -> None:
    """Generate a realistic demo workbook (with a small share of messy cells)."""
    from sheetcrm.demo import generate_demo

    if out.exists():
        raise ConfigError(f"{out} already exists; give another --out or remove it first")
    summary = generate_demo(
        out, customers=customers, seed=seed, language=language, today=today or _machine_today()
    )
    click.echo(f"Wrote {out}: {summary}")


def execute(argv: list[str] | None = None) -> int:
    """Run the CLI; known errors are one line on stderr and an exit code, never a traceback."""
    try:
        rv = cli.main(args=argv, prog_name="sheetcrm", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return EXIT_CONFIG
    except BackendError as exc:
        click.echo(f"Error: {exc}", err=True)
        return EXIT_BACKEND
    except (ConfigError, SheetCRMError) as exc:
        click.echo(f"Error: {exc}", err=True)
        return EXIT_CONFIG
    return rv if isinstance(rv, int) else 0

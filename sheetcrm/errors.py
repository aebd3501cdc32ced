"""The exceptions sheetcrm raises. Bad cells are not exceptions: they are Problem records."""


class SheetCRMError(Exception):
    """Base of every error the CLI turns into a one-line message."""


class ConfigError(SheetCRMError):
    """settings.yaml, the command line or the workbook's layout asks for something impossible."""


class BackendError(SheetCRMError):
    """The workbook cannot be read or written (locked, changed meanwhile, corrupt)."""


class TemplateError(SheetCRMError):
    """A message template cannot be rendered."""


class DeliveryError(SheetCRMError):
    """A message could not be handed to its channel.

    `permanent` failures (bad address, rejected credentials, 4xx) are recorded and never
    retried; transient ones (timeouts, 5xx, 429, connection refused) are retried with backoff.
    """

    def __init__(self, message: str, *, permanent: bool = False, unknown: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
        # The request reached the provider and its answer was lost (a timeout, a dropped
        # connection after the message went): it may have been delivered, so it is never
        # sent again automatically — a duplicate is worse than asking staff to check.
        self.unknown = unknown

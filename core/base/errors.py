"""Typed errors whose message is Chinese and tells the user what to do next."""

from __future__ import annotations


class UserError(Exception):
    """An error a user can act on. ``str(err)`` is the full Chinese message."""

    def __init__(self, message: str, hint: str = "") -> None:
        self.message = message
        self.hint = hint
        super().__init__(f"{message}{hint}" if not hint else f"{message}\n{hint}")


class ImportFailed(UserError):
    """The file cannot be read as a customer list."""


class EncryptedFile(ImportFailed):
    pass


class FileLocked(ImportFailed):
    pass


class InvalidInput(UserError):
    """A setting, template, scheme or catalog the user supplied is not valid."""


class OutputExists(UserError):
    """An output file exists and the user has not allowed overwriting it."""


class OutputFailed(UserError):
    """An output file could not be written (locked by Excel, no permission, disk full)."""


class FontMissing(UserError):
    """No Chinese font: letters or charts would come out with blank text or boxes."""


class MappingNeeded(ImportFailed):
    """No column could be recognised as 月均消费; the user must say which one it is."""

    def __init__(self, message: str, hint: str, headers: list[str]) -> None:
        super().__init__(message, hint)
        self.headers = headers

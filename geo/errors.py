"""Domain exceptions of reindus. Messages are in French: they reach the user as is."""

from __future__ import annotations


class ReindusError(Exception):
    """Base class of every error reindus reports to a user."""


class SourceMissingError(ReindusError):
    """A raw source file the build needs is absent from the sources directory."""


class DownloadError(ReindusError):
    """An online source could not be fetched or failed its integrity check."""


class BuildIntegrityError(ReindusError):
    """The built data breaks an invariant (count, membership, geometry)."""


class StoreError(ReindusError):
    """The store is missing, unreadable, or lacks a layer."""


class StoreUnavailableError(StoreError):
    """The database cannot be reached: the app stays readable from what it already loaded."""


class ImportRefusedError(ReindusError):
    """A user's file cannot be read at all, or its import was rejected; the store is unchanged."""


class UnreadableValueError(ReindusError, ValueError):
    """A value a user typed or imported that cannot be read (an amount, a year, a code, a point outside the
    regions); its French message names the value. Also a :class:`ValueError`, as the parsers' contract says."""


class PlaceNotFoundError(ReindusError, KeyError):
    """A commune, EPCI or territory code that no layer holds (an old or mistyped address, say).

    Also a :class:`KeyError`, as a lookup that finds nothing."""

    def __str__(self) -> str:  # KeyError would quote the French message
        return str(self.args[0]) if self.args else ""


class EditConflictError(ReindusError):
    """Someone else changed the record since it was read (optimistic concurrency).

    ``record_id`` and ``seen_version`` name what the user saw, ``current_version`` what the store holds now
    (None when the record was deleted), so the page can show the other change and start again from it.
    """

    def __init__(
        self,
        message: str,
        *,
        record_id: str | None = None,
        seen_version: int | None = None,
        current_version: int | None = None,
    ) -> None:
        super().__init__(message)
        self.record_id = record_id
        self.seen_version = seen_version
        self.current_version = current_version

"""SQL identifiers, quoted in one place for both backends (SQLite/GeoPackage and PostgreSQL).

Values are always bound as parameters; table and column names cannot be, so every statement built with an
f-string names them through :func:`quote_identifier` (as sqlite-utils routes every identifier through one
function): a name holding a quote or a keyword can never change what a statement does.
"""

from __future__ import annotations


def quote_identifier(name: str) -> str:
    """``name`` as a quoted SQL identifier: in double quotes, inner double quotes doubled (SQL standard).

    >>> quote_identifier("foncier"), quote_identifier('a"b'), quote_identifier("select")
    ('"foncier"', '"a""b"', '"select"')
    """
    if not name or "\x00" in name:
        raise ValueError(f"not an SQL identifier: {name!r}")
    return '"' + name.replace('"', '""') + '"'

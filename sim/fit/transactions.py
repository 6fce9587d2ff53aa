"""Transaction logs in: one row per purchase (customer id, date, amount), checked at the door.

A log is a CSV file (comma, tab or semicolon separated), a whitespace-separated text file like
CDNOW's, either of them optionally compressed (.gz, .xz, .bz2, .zip), or a Parquet file. The
three columns are named by the user or found among common names (`customer_id`, `date`,
`amount`, and CDNOW's `dollar_value`, ...). Dates are ISO 8601 (1997-01-31, with or without a
time) or eight digits (19970131, CDNOW's); a time of day is dropped and dates with a UTC offset
are read in UTC. Amounts are money per purchase, zero or more.

Every mistake is a `UserError` that names the file and says what was found and what is needed
(exit code 2, nothing written), never a traceback.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.scenario.errors import UserError

COMPRESSION = {".gz": gzip.open, ".xz": lzma.open, ".bz2": bz2.open}
TEXT_SUFFIXES = (".csv", ".txt", ".tsv", ".dat")
# Column names tried, in order, when the user names none (compared without case).
CANDIDATES = {
    "customer": ("customer_id", "customer", "cust_id", "client_id", "customer_number", "id"),
    "date": ("date", "purchase_date", "order_date", "transaction_date", "datetime",
             "timestamp", "time"),
    "amount": ("amount", "dollar_value", "monetary_value", "value", "revenue", "spend",
               "sales", "price"),
}
OPTIONS = {"customer": "--customer-column", "date": "--date-column", "amount": "--amount-column"}


@dataclass(frozen=True)
class Columns:
    """Which columns hold the customer id, the date and the amount (None: find it by name)."""

    customer: str | None = None
    date: str | None = None
    amount: str | None = None


def read_transactions(path: Path, columns: Columns | None = None) -> pd.DataFrame:
    """Read and check a transaction log.

    Args:
        path: CSV, whitespace-separated text or Parquet file (see the module docstring).
        columns: Column names to use; those left None are found among `CANDIDATES`.

    Returns:
        One row per record, in file order: `customer_id` (as text), `date` (datetime64, the
        day, no time zone), `amount` (float, money per record).

    Raises:
        UserError: the file is missing, a folder, empty, unreadable, lacks a column, or has an
            unparsable date, a missing id or a missing, non-numeric or negative amount.
    """
    path = Path(path)
    raw = read_table(path)
    names = choose_columns(raw, columns or Columns(), path)
    return pd.DataFrame({
        "customer_id": _customer_ids(raw[names["customer"]], names["customer"], path),
        "date": _dates(raw[names["date"]], names["date"], path),
        "amount": _amounts(raw[names["amount"]], names["amount"], path),
    })


def read_table(path: Path) -> pd.DataFrame:
    """The file as a table of text columns (Parquet keeps its types); refuses empty files."""
    if not path.exists():
        raise UserError(f"{path}: no such file; give a transaction log (CSV or Parquet)")
    if path.is_dir():
        raise UserError(f"{path}: is a folder; give a transaction log file (CSV or Parquet)")
    if path.stat().st_size == 0:
        raise UserError(f"{path}: the file is empty; expected a header line (customer id, "
                        "date, amount) and one row per purchase")
    suffixes = [s.lower() for s in path.suffixes]
    try:
        if suffixes and suffixes[-1] == ".parquet":
            table = pd.read_parquet(path)
        else:
            table = pd.read_csv(path, sep=_separator(path), dtype=str, keep_default_na=False,
                                skipinitialspace=True)
    except (ValueError, OSError, UnicodeDecodeError, EOFError, lzma.LZMAError,
            zipfile.BadZipFile) as exc:
        kind = "Parquet" if suffixes[-1:] == [".parquet"] else "a CSV or text table"
        raise UserError(f"{path}: cannot read it as {kind} ({type(exc).__name__}: "
                        f"{str(exc)[:200]})") from None
    if table.empty:
        raise UserError(f"{path}: has no purchases (columns {list(table.columns)}, no rows)")
    return table


def _separator(path: Path) -> str:
    """Comma, tab or semicolon if the header line has one; else runs of whitespace (CDNOW)."""
    line = _first_line(path)
    for sep in (",", "\t", ";"):
        if sep in line:
            return sep
    return r"\s+"


def _first_line(path: Path) -> str:
    opener = COMPRESSION.get(path.suffix.lower())
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive, archive.open(archive.namelist()[0]) as member:
            return member.readline().decode("utf-8", errors="replace")
    with (opener or open)(path, "rt", encoding="utf-8", errors="replace") as handle:
        return handle.readline()


def choose_columns(table: pd.DataFrame, columns: Columns, path: Path) -> dict[str, str]:
    """Role (customer, date, amount) → column name, given or found; refuses a missing one."""
    found = [str(c) for c in table.columns]
    lower = {c.strip().lower(): c for c in found}
    chosen = {}
    for role, candidates in CANDIDATES.items():
        given = getattr(columns, role)
        if given is not None:
            if given not in found:
                raise UserError(f"{path}: no column '{given}' ({OPTIONS[role]}); the file has "
                                f"columns {found}")
            chosen[role] = given
            continue
        match = next((lower[c] for c in candidates if c in lower), None)
        if match is None:
            raise UserError(
                f"{path}: no {role} column found among {found}; a transaction log needs a "
                f"customer id, a date and an amount (e.g. customer_id, date, amount); name "
                f"yours with {OPTIONS[role]} (tried: {', '.join(candidates)})")
        chosen[role] = match
    return chosen


def _first_bad(mask: pd.Series, values: pd.Series) -> tuple[int, object]:
    """1-based data row (header not counted) and value of the first True in `mask`."""
    position = int(mask.to_numpy().argmax())
    return position + 1, values.iloc[position]


def _customer_ids(values: pd.Series, name: str, path: Path) -> pd.Series:
    text = values.astype(str).str.strip()
    missing = values.isna() | (text == "")
    if missing.any():
        row, _ = _first_bad(missing, values)
        raise UserError(f"{path}: data row {row} has no customer id (column '{name}'); every "
                        "purchase needs one")
    return text.reset_index(drop=True)


def _dates(values: pd.Series, name: str, path: Path) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = pd.to_datetime(values, utc=True)
    else:
        text = values.astype(str).str.strip()
        parsed = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce")
    bad = parsed.isna()
    if bad.any():
        row, value = _first_bad(bad, values)
        raise UserError(f"{path}: cannot read the date {value!r} in data row {row} (column "
                        f"'{name}'; {int(bad.sum())} unreadable in all); expected dates such as "
                        "1997-01-31 or 19970131")
    return parsed.dt.tz_localize(None).dt.normalize().reset_index(drop=True)


def _amounts(values: pd.Series, name: str, path: Path) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce")
    bad = numbers.isna()
    if bad.any():
        row, value = _first_bad(bad, values)
        raise UserError(f"{path}: the amount {value!r} in data row {row} (column '{name}') is "
                        "not a number; amounts are money per purchase, e.g. 29.33")
    negative = numbers < 0
    if negative.any():
        row, value = _first_bad(negative, numbers)
        raise UserError(f"{path}: negative amount {value:g} in data row {row} (column "
                        f"'{name}'; {int(negative.sum())} negative in all); amounts must be 0 or "
                        "more (refunds and returns are not purchases: remove them first)")
    return numbers.astype(float).reset_index(drop=True)


def customer_days(records: pd.DataFrame, start: pd.Timestamp | None = None) -> pd.DataFrame:
    """Merge each customer's records of one day into one transaction (amounts summed).

    A customer's purchases on one day are one transaction: the convention of Fader, Hardie &
    Lee (2005) and of CLV libraries' daily summaries (CDNOW: 69,659 records, 67,591
    customer-days).

    Args:
        records: `read_transactions` output (customer_id, date, amount).
        start: Day 0 of the cohort (default: the first date in the log).

    Returns:
        Columns customer_id, date, day (whole days since `start`), amount (summed), records
        (how many were merged), sorted by customer and day.
    """
    start = records["date"].min() if start is None else start
    daily = (records.groupby(["customer_id", "date"], as_index=False, sort=True)
             .agg(amount=("amount", "sum"), records=("amount", "size")))
    daily.insert(2, "day", (daily["date"] - start).dt.days.astype("int64"))
    return daily

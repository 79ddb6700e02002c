"""Schemathesis hooks of the contract test: the rules between fields that JSON Schema cannot state.

The OpenAPI document states each of these rules in the description of the operation or body it
governs, and the server answers a request that breaks one with 400. Here the generator learns
them, so the requests it calls valid (positive cases) are the ones the contract calls valid.
Negative cases are left alone: they are rejected either way.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import schemathesis

# The minor-unit exponent of every currency (USD 2, JPY 0), from domain/money.ts via the test.
EXPONENTS: dict[str, int] = json.loads(os.environ.get("SETTLE_CURRENCY_EXPONENTS", "{}"))
MAX_MINOR_UNITS = 10**15

_INSTANT = re.compile(
    r"^(-?\d{4,})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$"
)


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date, for any year (year 0 included)."""
    year -= month <= 2
    era = (year if year >= 0 else year - 399) // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _instant(value: object) -> float | None:
    """Seconds since the epoch as the server reads `from`/`to`: a date is midnight UTC."""
    if not isinstance(value, str):
        return None
    match = _INSTANT.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    seconds = _days_from_civil(int(year), int(month), int(day)) * 86400
    seconds += int(hour or 0) * 3600 + int(minute or 0) * 60 + int(second or 0)
    fraction = re.search(r"\.(\d+)", value)
    if fraction:
        seconds += float("0." + fraction.group(1))
    if offset and offset != "Z":
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        seconds -= sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
    return seconds


def _report_window_ok(query: dict[str, Any] | None) -> bool:
    """GET /v1/reports/*: `from` must not be after `to`."""
    if not query or "from" not in query or "to" not in query:
        return True
    start, end = _instant(query["from"]), _instant(query["to"])
    return start is None or end is None or start <= end


def _unique(values: list[object]) -> bool:
    return len(values) == len(set(map(json.dumps, values)))


def _fits_currency(amount: object, currency: str) -> bool:
    """At most the currency's decimals, under 10^15 minor units (the ledger's bound)."""
    exponent = EXPONENTS.get(currency)
    if exponent is None or not isinstance(amount, str):
        return True
    match = re.match(r"^-?(\d+)(?:\.(\d+))?$", amount)
    if not match:
        return True
    whole, fraction = match.group(1), match.group(2) or ""
    return len(fraction) <= exponent and int(whole + fraction.ljust(exponent, "0")) < MAX_MINOR_UNITS


def _contract_ok(contract: object, currency_of: dict[str, str]) -> bool:
    if not isinstance(contract, dict):
        return True
    prices = [p for p in contract.get("prices") or [] if isinstance(p, dict)]
    discounts = [d for d in contract.get("discounts") or [] if isinstance(d, dict)]
    if not _unique([p.get("sku") for p in prices]) or not _unique([d.get("id") for d in discounts]):
        return False
    currency = currency_of.get(contract.get("customerId"))  # type: ignore[arg-type]
    return currency is None or all(_fits_currency(p.get("unitPrice"), currency) for p in prices)


def _bundle_ok(bundle: object) -> bool:
    """POST /v1/import: the rules between records that the bundle's description states (the
    date order within a record is map_case's, which runs after this filter)."""
    if not isinstance(bundle, dict):
        return True
    kinds = {
        name: [r for r in bundle.get(name) or [] if isinstance(r, dict)]
        for name in ("customers", "contracts", "purchaseOrders", "deliveries", "invoices", "payments")
    }
    for records in kinds.values():
        if not _unique([r.get("id") for r in records]):
            return False
    for name in ("purchaseOrders", "invoices"):
        lines = [line.get("id") for r in kinds[name] for line in r.get("lines") or [] if isinstance(line, dict)]
        if not _unique(lines):
            return False
    currency_of = {c.get("id"): c.get("currency") for c in kinds["customers"]}
    for name in ("invoices", "payments"):
        for record in kinds[name]:
            expected = currency_of.get(record.get("customerId"))
            if expected is not None and record.get("currency") != expected:
                return False
    return all(_contract_ok(c, currency_of) for c in kinds["contracts"])


def _ordered(record: object, first: str, last: str) -> None:
    """Swaps two ISO dates of a record that are out of order."""
    if isinstance(record, dict):
        start, end = record.get(first), record.get(last)
        if isinstance(start, str) and isinstance(end, str) and start > end:
            record[first], record[last] = end, start


@schemathesis.hook
def map_case(context: schemathesis.HookContext, case: schemathesis.Case) -> schemathesis.Case:
    """Positive cases keep the date order rules: the later date of a pair goes last."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return case
    path, method = case.operation.path, case.method.upper()
    if method == "GET" and path.startswith("/v1/reports/") and not _report_window_ok(case.query):
        case.query["from"], case.query["to"] = case.query["to"], case.query["from"]
    elif method == "POST" and path == "/v1/invoices":
        _ordered(case.body, "issuedAt", "dueAt")
    elif method == "POST" and path == "/v1/import" and isinstance(case.body, dict):
        for invoice in case.body.get("invoices") or []:
            _ordered(invoice, "issuedAt", "dueAt")
        for contract in case.body.get("contracts") or []:
            _ordered(contract, "validFrom", "validTo")
            if isinstance(contract, dict):
                for discount in contract.get("discounts") or []:
                    _ordered(discount, "from", "to")
    return case


@schemathesis.hook
def filter_case(context: schemathesis.HookContext, case: schemathesis.Case) -> bool:
    """Positive import bundles keep the rules between records (unique ids, currencies)."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return True
    if case.method.upper() == "POST" and case.operation.path == "/v1/import":
        return _bundle_ok(case.body)
    return True

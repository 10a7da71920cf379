"""The data inventory (docs/data-inventory.yaml): every column's purpose, lawful basis,
retention and whether it is personal data (ICO Children's code standards 1-2, UK GDPR Art. 30).

tests/security/test_data_inventory_complete.py fails on any column not classified here;
`engage security inventory` prints stubs for the missing ones.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import MetaData

INVENTORY_FILE = Path(__file__).resolve().parent.parent / "docs" / "data-inventory.yaml"
FIELDS = ("purpose", "lawful_basis", "retention", "personal")
# Tables holding what respondents said: the Children's code (std 8) forbids tying these to a
# device or network, so no IP address or user agent column may ever be added to them.
RESPONSE_TABLES = ("response", "answer", "contact_detail")
TRACKING_COLUMN_HINTS = ("ip", "ip_address", "remote_addr", "user_agent", "useragent", "device")


def load_inventory(path: Path = INVENTORY_FILE) -> dict[str, dict[str, dict]]:
    """table -> column -> {purpose, lawful_basis, retention, personal}, table defaults applied."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    inventory: dict[str, dict[str, dict]] = {}
    for table, entry in raw.items():
        defaults = {key: entry[key] for key in FIELDS if key in entry}
        columns = {}
        for column, fields in (entry.get("columns") or {}).items():
            columns[column] = {**defaults, **(fields or {})}
        inventory[table] = columns
    return inventory


def unclassified(metadata: MetaData, inventory: dict[str, dict[str, dict]]) -> list[str]:
    """'table.column: why' for every column the inventory does not fully classify."""
    problems = []
    for table in metadata.sorted_tables:
        listed = inventory.get(table.name, {})
        for column in table.columns:
            fields = listed.get(column.name)
            if fields is None:
                problems.append(f"{table.name}.{column.name}: not in the inventory")
                continue
            missing = [key for key in FIELDS if fields.get(key) in (None, "")]
            unknown = sorted(set(fields) - set(FIELDS))
            if unknown:
                # Usually an unquoted comma in a flow mapping: quote the purpose.
                problems.append(f"{table.name}.{column.name}: unknown keys {unknown}")
            elif missing:
                problems.append(f"{table.name}.{column.name}: no {', '.join(missing)}")
            elif not isinstance(fields["personal"], bool):
                problems.append(f"{table.name}.{column.name}: personal must be yes or no")
    return problems


def stale(metadata: MetaData, inventory: dict[str, dict[str, dict]]) -> list[str]:
    """Inventory entries for tables or columns that no longer exist."""
    live = {
        table.name: {column.name for column in table.columns} for table in metadata.sorted_tables
    }
    gone = []
    for table, columns in inventory.items():
        if table not in live:
            gone.append(table)
            continue
        gone += [f"{table}.{column}" for column in columns if column not in live[table]]
    return gone


def tracking_columns(metadata: MetaData) -> list[str]:
    found = []
    for table in metadata.sorted_tables:
        if table.name not in RESPONSE_TABLES:
            continue
        for column in table.columns:
            name = column.name.lower()
            if any(name == hint or name.endswith("_" + hint) for hint in TRACKING_COLUMN_HINTS):
                found.append(f"{table.name}.{column.name}")
    return found


def stubs(metadata: MetaData, inventory: dict[str, dict[str, dict]]) -> str:
    """YAML to paste into the inventory for unlisted columns (replace every "fill in")."""
    lines = []
    for table in metadata.sorted_tables:
        listed = inventory.get(table.name, {})
        missing = [column for column in table.columns if column.name not in listed]
        if not missing:
            continue
        if table.name not in inventory:
            lines += [
                f"{table.name}:",
                "  lawful_basis: fill in",
                "  retention: fill in",
                "  columns:",
            ]
        else:
            lines.append(f"{table.name}:  # add under its columns:")
        lines += [
            f"    {column.name}: {{purpose: fill in, personal: fill in}}" for column in missing
        ]
    return "\n".join(lines) + ("\n" if lines else "")

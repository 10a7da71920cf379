"""Write the compact symbol index the app reads at run time (engage.ask.symbols), from
OpenMoji's metadata in node_modules, so that run time never needs node_modules.

Usage: python3 scripts/build_symbols.py [OPENMOJI_JSON] [SYMBOLS_DIR]
Only standard library: it runs in scripts/build_assets.sh before the venv may exist.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules" / "openmoji" / "data" / "openmoji.json"
TARGET_DIR = ROOT / "engage" / "static" / "build" / "symbols"
# Skin-tone swatches and hair parts are building blocks, not symbols anyone would pick.
SKIPPED_GROUPS = {"component"}


def _tags(entry: dict) -> list[str]:
    words: list[str] = []
    for field in ("tags", "openmoji_tags"):
        for tag in (entry.get(field) or "").split(","):
            tag = tag.strip().lower()
            if tag and tag not in words:
                words.append(tag)
    return words


def compact(entries: list[dict], symbols_dir: Path) -> list[list]:
    """[hexcode, annotation, tags] for every symbol whose SVG was copied, skin-tone
    variants left out (the base symbol stands for them: one choice, not six)."""
    # Before the SVGs are copied (or in a test) there is nothing to check against.
    check_files = symbols_dir.is_dir() and any(symbols_dir.glob("*.svg"))
    rows = []
    for entry in entries:
        code = entry.get("hexcode") or ""
        if not code or entry.get("skintone") or entry.get("group") in SKIPPED_GROUPS:
            continue
        if check_files and not (symbols_dir / f"{code}.svg").exists():
            continue
        annotation = (entry.get("annotation") or "").strip()
        if not annotation:
            continue
        rows.append([code, annotation, _tags(entry)])
    return rows


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else SOURCE
    target_dir = Path(argv[2]) if len(argv) > 2 else TARGET_DIR
    if not source.exists():
        print(f"build_symbols: {source} not found; run npm ci", file=sys.stderr)
        return 1
    rows = compact(json.loads(source.read_text(encoding="utf-8")), target_dir)
    target_dir.mkdir(parents=True, exist_ok=True)
    index = {
        "source": "OpenMoji",
        "licence": "CC BY-SA 4.0",
        "attribution": "All emojis designed by OpenMoji – the open-source emoji and icon project.",
        "symbols": rows,
    }
    (target_dir / "index.json").write_text(
        json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    print(f"build_symbols: {len(rows)} symbols indexed in {target_dir / 'index.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

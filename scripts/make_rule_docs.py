"""Write docs/rules.md, the rule reference, from the shipped packs.

    python scripts/make_rule_docs.py          # rewrite docs/rules.md
    python scripts/make_rule_docs.py --check  # exit 1 when it is out of date
"""
import sys
from pathlib import Path

from cleaner.packs import load_rules
from cleaner.ruledoc import reference

TARGET = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def main() -> int:
    text = reference(load_rules())
    if "--check" in sys.argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date: run python scripts/make_rule_docs.py")
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

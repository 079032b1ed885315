"""Write the views' tables of a Markdown file (docs/warehouse.md) from the YAML files:
``python -m pipelines.warehouse.models docs/warehouse.md``."""

import sys
from pathlib import Path

from pipelines.warehouse.models import sync_docs

for name in sys.argv[1:] or ["docs/warehouse.md"]:
    path = Path(name)
    text = path.read_text("utf-8")
    new = sync_docs(text)
    if new != text:
        path.write_text(new, "utf-8")
        print(f"{path}: written")

"""MkDocs hooks: a thin shim; each step is a plain function in build_scripts/."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from build_scripts import assets, tree_data  # noqa: E402


def on_post_build(config, **kwargs):
    assets.write_runtime(Path(config["site_dir"]), tree_data.tree_json())

"""MkDocs hooks: a thin shim; each step is a plain function in build_scripts/."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from build_scripts import assets, pages, questionnaire, static_tree, tree_data  # noqa: E402


def on_config(config, **kwargs):
    return pages.configure(config)


def on_files(files, config, **kwargs):
    tree = tree_data.tree_dict()
    pages.add_generated_pages(files, config, tree)
    static_tree.add_pages(files, config, tree)
    return files


def on_page_markdown(markdown, page, config, files, **kwargs):
    markdown = pages.expand_markers(markdown, page, tree_data.tree_dict())
    return questionnaire.expand(markdown, page, tree_data.tree_dict())


def on_page_content(html, page, config, files, **kwargs):
    return pages.page_content(html, page, config)


def on_post_build(config, **kwargs):
    assets.write_runtime(Path(config["site_dir"]), tree_data.tree_json())
    pages.post_build(config)

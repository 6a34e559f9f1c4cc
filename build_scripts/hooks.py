"""MkDocs hooks: a thin shim; each step is a plain function in build_scripts/."""

from __future__ import annotations

import functools
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402

from build_scripts import (  # noqa: E402
    a11y, articles, assets, checks, glossary, offline, pages, questionnaire, search_index, static_tree, tables,
    tree_data,
)
from decision_tree.authoring import ContentError as TreeContentError  # noqa: E402

# A content problem stops the build with its own message, not a traceback.
CONTENT_ERRORS = (
    pages.ContentError, checks.CheckError, glossary.GlossaryError, articles.ArticleError, TreeContentError,
)


def _stop_on_content_error(hook):
    @functools.wraps(hook)
    def run(*args, **kwargs):
        try:
            return hook(*args, **kwargs)
        except TreeContentError as e:
            raise PluginError(
                f"decision_tree/content/ 有 {len(e.problems)} 个问题（路径相对于该目录；"
                f"./dev ask validate 可单独检查）：\n{e}"
            ) from None
        except CONTENT_ERRORS as e:
            raise PluginError(str(e)) from None
    return run


@event_priority(100)  # before Material's search plugin reads its dictionary paths
@_stop_on_content_error
def on_config(config, **kwargs):
    checks.require_local_only_config(config)
    search_index.resolve_dictionary_paths(config)
    return config


@_stop_on_content_error
def on_pre_build(config, **kwargs):
    checks.require_no_outdated_claims()


# The compiled tree and the glossary, read once per build (on_files runs before any page and
# reloads them, so `mkdocs serve` sees edits) instead of once per page.
_build: dict = {}
_LOADERS = {"tree": lambda: tree_data.tree_dict(), "glossary": lambda: glossary.load()}


def _loaded(name: str):
    if name not in _build:
        _build[name] = _LOADERS[name]()
    return _build[name]


@_stop_on_content_error
def on_files(files, config, **kwargs):
    _build.clear()
    tree = _loaded("tree")
    # The cited articles' texts: checked now (a missing article stops the build before any page),
    # written after the build; every page's template names the file (extra.articles_json).
    _build["articles"] = articles.corpus_json(articles.build_corpus(tree))
    config["extra"]["articles_json"] = articles.corpus_path(_build["articles"])
    pages.add_generated_pages(files, config, tree)
    return files


@_stop_on_content_error
def on_page_markdown(markdown, page, config, files, **kwargs):
    pages.require_description(page.file.src_uri, page.meta)
    pages.check_reviewed(page.file.src_uri, page.meta)
    markdown = pages.expand_markers(markdown, page.file.src_uri, _loaded("tree"))
    return questionnaire.expand(markdown, page, _loaded("tree"))


@_stop_on_content_error
def on_page_content(html, page, config, files, **kwargs):
    checks.require_no_mermaid(page.file.src_uri, html)
    html = a11y.label_task_checkboxes(html)
    html = tables.label_cells(html)
    if not glossary.wanted(page.file.src_uri, page.meta):
        return html
    return glossary.apply(html, _loaded("glossary"))


def on_post_build(config, **kwargs):
    runtime = assets.write_runtime(Path(config["site_dir"]), tree_data.tree_json())
    static_tree.write_pages(Path(config["site_dir"]), tree_data.tree(), date.today())
    articles.write(Path(config["site_dir"]), config["extra"]["articles_json"], _build["articles"])
    search_index.compact(Path(config["site_dir"]))
    search_index.fix_chinese_queries(Path(config["site_dir"]))
    offline.write(Path(config["site_dir"]), runtime, config["site_name"])  # last: it hashes the site

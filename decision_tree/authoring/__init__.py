"""Build-time authoring: load the YAML content strictly, validate the graph, compile tree.json.

Needs PyYAML; the runtime never imports this package.
"""

from decision_tree.authoring.compiler import compile_tree, compile_to_json
from decision_tree.authoring.loader import ContentError, Problem, load_content
from decision_tree.authoring.validator import validate

CONTENT_DIR = __import__("pathlib").Path(__file__).resolve().parent.parent / "content"

__all__ = [
    "CONTENT_DIR",
    "ContentError",
    "Problem",
    "compile_to_json",
    "compile_tree",
    "load_content",
    "validate",
]

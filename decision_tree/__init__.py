"""消费维权指南's decision tree: the model, the engine that walks it, and the browser-facing API.

The runtime (this package minus ``authoring``) imports only the standard library so that it runs
unchanged inside Pyodide. ``decision_tree.authoring`` loads and checks the YAML content at build time.
"""

from decision_tree.engine import AnswerError, Question, Result, walk
from decision_tree.model import Citation, EvidenceItem, Route, Tree

__all__ = [
    "AnswerError",
    "Citation",
    "EvidenceItem",
    "Question",
    "Result",
    "Route",
    "Tree",
    "walk",
]

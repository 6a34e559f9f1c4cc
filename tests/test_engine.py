"""The engine walks the tree and refuses answers that do not fit it."""

import pytest

from decision_tree import AnswerError, walk
from decision_tree.api import step
from decision_tree.engine import enumerate_paths


def first_path(tree):
    answers, outcome = enumerate_paths(tree)[0]
    return [list(a) for a in answers], outcome


def test_no_answers_gives_the_first_question(tree):
    reply = step(tree, [])
    assert reply["status"] == "question"
    assert reply["question"]["id"] == tree.start
    assert len(reply["question"]["options"]) >= 2


def test_a_full_path_gives_a_result_with_its_trace(tree):
    answers, outcome = first_path(tree)
    reply = step(tree, answers)
    assert reply["status"] == "result"
    result = reply["result"]
    assert result["outcome"]["id"] == outcome
    assert [[t["question_id"], t["answer_id"]] for t in result["trace"]] == answers
    assert result["primary_route"]["id"] and result["citations"] and result["evidence"]


@pytest.mark.parametrize(
    "mangle, expected",
    [
        (lambda a: [["no_such_question", "x"]] + a[1:], "未知的问题“no_such_question”"),
        (lambda a: [[a[0][0], "no_such_option"]] + a[1:], "没有选项“no_such_option”"),
        (lambda a: a + [a[0]], "是多余的"),
        (lambda a: [a[0], a[0]] + a[1:] if len(a) > 1 else [a[0], a[0]], None),
        (lambda a: [["x"]], "格式不对"),
        (lambda a: ["oops"], "格式不对"),
    ],
)
def test_bad_answers_are_refused_with_a_clear_message(tree, mangle, expected):
    answers, _ = first_path(tree)
    bad = mangle(answers)
    reply = step(tree, bad)
    assert reply["status"] == "error", reply
    if expected:
        assert expected in reply["error"]
    with pytest.raises(AnswerError):
        walk(tree, bad)


def test_answers_out_of_order_are_refused(tree):
    paths = [p for p, _ in enumerate_paths(tree) if len(p) >= 2]
    assert paths, "the tree must have a path of at least two questions"
    answers = [list(a) for a in paths[0]]
    reply = step(tree, [answers[1], answers[0]] + answers[2:])
    assert reply["status"] == "error"
    assert "顺序不对" in reply["error"]


def test_answers_that_are_not_a_list_are_refused(tree):
    assert step(tree, {"a": 1})["status"] == "error"

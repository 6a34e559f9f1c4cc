"""The engine: the interview asks each fact once in order, refuses answers that do not fit, and
composes the result from the rules that fire, with computed amounts and dates."""

from __future__ import annotations

from datetime import date

import pytest

from decision_tree import AnswerError, walk
from decision_tree.api import respond, step
from decision_tree.logic import period_end
from decision_tree.model import Calendar

TODAY = date(2026, 11, 30)
# A walk that answers every type: multi, choice, amount, date, and 不清楚 (null).
FOOD = [
    ["problems", ["food_unsafe"]], ["item", "food"], ["channel", "store"], ["price", 45.5],
    ["purchase_date", "2026-11-20"], ["discovered_date", None], ["food_issue", ["expired"]],
    ["knew_before", "did_not_know"], ["needs_test", "not_needed"], ["merchant_status", "operating"],
    ["wants", ["refund", "compensation"]], ["merchant_response", "refused"], ["tried", ["none"]],
]


def test_no_answers_gives_the_first_question_in_the_contract_shape(tree):
    reply = step(tree, [], TODAY)
    assert reply["version"] == 2 and reply["status"] == "question"
    q = reply["question"]
    assert q["id"] == next(iter(tree.facts)) and q["type"] == "multi" and len(q["options"]) >= 2
    assert set(q) == {"id", "text", "help", "type", "options", "unknown"}


def test_a_full_walk_gives_a_result_with_figures_dates_and_trace(tree):
    reply = step(tree, FOOD, TODAY)
    assert reply["status"] == "result", reply
    r = reply["result"]
    amounts = {e["id"]: e["amount_yuan"] for e in r["entitlements"]}
    assert amounts["food_tenfold"] == 1000.0  # ten times 45.5 is under the 1000-yuan floor
    assert amounts["food_refund"] == 45.5
    dates = {d["id"]: d["date"] for d in r["deadlines"]}
    assert dates["limitation_3y"] == "2029-11-20"  # 不清楚 when found: counted from the purchase
    assert [[t["question_id"], t["value"]] for t in r["trace"]] == FOOD
    assert r["trace"][5]["answer"] == "记不清"
    assert all(rule in r["rules"] for rule in ("food_tenfold", "food_refund"))
    assert r["why"] and all(set(w) == {"rule", "facts"} for w in r["why"])


def test_an_unknown_amount_gives_a_formula_not_a_figure(tree):
    answers = [pair if pair[0] != "price" else ["price", None] for pair in FOOD]
    r = step(tree, answers, TODAY)["result"]
    tenfold = next(e for e in r["entitlements"] if e["id"] == "food_tenfold")
    assert tenfold["amount_yuan"] is None and "价款×10" in tenfold["formula"]


def test_two_problems_at_once_keep_both_entitlements(tree):
    answers = [
        ["problems", ["not_as_described", "harm"]], ["item", "ebike"], ["channel", "store"],
        ["price", 2000], ["purchase_date", "2026-10-01"], ["discovered_date", "2026-10-20"],
        ["deliberate", "knowingly"], ["harm_kinds", ["property"]], ["harm_amount", 900],
        ["premises", None], ["needs_test", "not_needed"], ["merchant_status", "operating"],
        ["wants", ["compensation"]], ["merchant_response", "refused"], ["tried", ["none"]],
        ["arbitration_clause", "none"],
    ]
    answers = [a for a in answers if a[0] != "premises"]  # asked only for an injury
    r = step(tree, answers, TODAY)
    assert r["status"] == "result", r
    amounts = {e["id"]: e["amount_yuan"] for e in r["result"]["entitlements"]}
    assert amounts["fraud_triple"] == 6000 and amounts["harm_damages"] == 900


@pytest.mark.parametrize(
    "mangle, expected",
    [
        (lambda a: [["no_such_question", "x"]] + a[1:], "未知的问题"),
        (lambda a: [[a[0][0], ["no_such_option"]]] + a[1:], "一个或几个不重复的选项"),
        (lambda a: [[a[0][0], []]] + a[1:], "一个或几个不重复的选项"),
        (lambda a: a[:3] + [["price", -5]] + a[4:], "不小于 0 的金额"),
        (lambda a: a[:3] + [["price", True]] + a[4:], "不小于 0 的金额"),
        (lambda a: a[:3] + [["price", "320"]] + a[4:], "不小于 0 的金额"),
        (lambda a: a[:4] + [["purchase_date", "2026-02-30"]] + a[5:], "YYYY-MM-DD"),
        (lambda a: a[:4] + [["purchase_date", "2027-01-01"]] + a[5:], "晚于今天"),
        (lambda a: a[:1] + [["item", None]] + a[2:], None),  # item offers 不清楚: fine so far
        (lambda a: a[:2] + [["channel", None]] + a[3:], "不能回答“不清楚”"),
        (lambda a: a + [a[0]], "是多余的"),
        (lambda a: [a[1]] + a, "顺序不对"),
        (lambda a: [["x"]], "格式不对"),
        (lambda a: ["oops"], "格式不对"),
    ],
)
def test_bad_answers_are_refused_with_a_clear_message(tree, mangle, expected):
    bad = mangle([list(p) for p in FOOD])
    reply = step(tree, bad, TODAY)
    if expected is None:
        assert reply["status"] in ("question", "result", "error")
        return
    assert reply["status"] == "error", reply
    assert expected in reply["error"]
    with pytest.raises(AnswerError):
        walk(tree, bad, TODAY)


def test_an_error_never_echoes_an_option_id_from_the_input(tree):
    reply = step(tree, [["problems", ["Official_refund_hotline_400-820-0000"]]], TODAY)
    assert reply["status"] == "error" and "400-820" not in reply["error"]


def test_respond_takes_today_from_the_request_and_checks_it(tree):
    import json

    from decision_tree import api

    api._tree = tree
    body = json.dumps({"answers": FOOD, "today": "2026-11-30"})
    assert json.loads(respond(body))["status"] == "result"
    assert "today" in json.loads(respond(json.dumps({"answers": [], "today": "30/11/2026"})))["error"]
    assert json.loads(respond("[[[")) == {"status": "error", "version": 2, "error": "回答不是有效的 JSON。"}
    assert json.loads(respond("[" * 100000))["status"] == "error"


CAL = Calendar(frozenset({"2026-10-01", "2026-10-02", "2026-10-05"}), frozenset({"2026-10-10"}), 2026, "test")


@pytest.mark.parametrize(
    "start, period, end",
    [
        ("2026-11-30", {"working_days": 7}, "2026-12-09"),  # Mon → Wed of the next week
        ("2026-09-30", {"working_days": 2}, "2026-10-07"),  # holidays 1, 2, 5 Oct and a weekend skipped
        ("2026-10-08", {"working_days": 2}, "2026-10-10"),  # Saturday the 10th is a make-up working day
        ("2026-12-28", {"working_days": 7}, None),  # runs past the calendar's last year: unknown
        ("2026-11-25", {"days": 7}, "2026-12-02"),  # days: the start day not counted, never moved
        ("2026-03-31", {"months": 1}, "2026-04-30"),  # no 31 April: the month's last day
        ("2023-11-18", {"years": 3}, "2026-11-18"),
        ("2023-11-21", {"years": 3}, "2026-11-23"),  # ends on a Saturday: moved to Monday
        ("2026-11-21", {"years": 3}, "2029-11-21"),  # past the calendar: the plain date
    ],
)
def test_periods_count_holidays_and_make_up_days(start, period, end):
    got = period_end(date.fromisoformat(start), period, CAL)
    assert (got.isoformat() if got else None) == end


def test_the_holiday_calendar_is_the_official_one(tree):
    cal = tree.calendar
    assert cal.last_year >= 2026
    assert {"2026-10-01", "2026-02-17"} <= cal.holidays  # National Day, Spring Festival
    assert "2026-02-14" in cal.workdays  # a Saturday worked to make up for the Spring Festival
    assert "chinesecalendar" in cal.source

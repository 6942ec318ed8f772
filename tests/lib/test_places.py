"""The notice's lead sentence names the first three places, ties as 并列."""

from baozheng.lib.places import podium_sentence


def test_five_units_with_three_tied_at_third_are_not_called_the_top_three():
    ranked = [(1, "唐河县"), (2, "镇平县"), (3, "南召县"), (3, "内乡县"), (3, "新野县"), (6, "甲")]
    assert (
        podium_sentence(ranked) == "唐河县、镇平县分列第一、二位，南召县、内乡县、新野县并列第三。"
    )


def test_a_tie_at_the_top():
    assert podium_sentence([(1, "甲"), (1, "乙"), (3, "丙")]) == "甲、乙并列第一，丙位列第三。"


def test_no_ranked_units_no_sentence():
    assert podium_sentence([]) == ""

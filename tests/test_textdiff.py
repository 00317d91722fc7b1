"""Change marks on small Japanese examples: whole phrases, whole numbers, whole clauses and
sentences once most of them changed, and never a mark of only punctuation or a particle."""

from __future__ import annotations

import pytest

from reportgen.textdiff import fragments, is_junk, mark_changes, mark_paragraphs, tokens


def marked(runs: list[tuple[str, bool]]) -> list[str]:
    return [t for t, c in runs if c]


def test_tokens_keep_numbers_whole_and_join_back_to_the_text() -> None:
    text = "■ KPI：郵送化率を98.6%以上とする（令和3年度実績 1,170事業所）"
    toks = tokens(text)
    assert "".join(toks) == text
    assert "98.6%" in toks and "1,170" in toks and " " in toks


@pytest.mark.parametrize("segmenter", ["budoux", "char"])
def test_tokens_of_every_segmenter_join_back_to_the_text(segmenter: str) -> None:
    text = "加入者・事業主の利便性の向上や負担軽減の観点から、郵送化を促進する。"
    assert "".join(tokens(text, segmenter)) == text


def test_an_inserted_word_is_marked_in_the_new_text_only() -> None:
    old, new = mark_changes("効果的なレセプト点検の推進", "効果的なレセプト内容点検の推進")
    assert new == [("効果的なレセプト", False), ("内容", True), ("点検の推進", False)]
    assert old == [("効果的なレセプト点検の推進", False)]


def test_a_changed_number_is_marked_whole() -> None:
    old, new = mark_changes("郵送化率を96.5%以上とする", "郵送化率を98.6%以上とする")
    assert marked(new) == ["98.6%"] and marked(old) == ["96.5%"]
    old, new = mark_changes("定員を10人とする", "定員を100人とする")
    assert marked(old) == ["10"] and marked(new) == ["100"]


def test_a_mostly_rewritten_sentence_is_marked_whole() -> None:
    old = "今後、厳しさが増すことが予想される協会の保険財政について、加入者や事業主にご理解いただくため、" \
          "ホームページや定期広報誌等において協会決算や今後の見通しに関する情報発信を行う。"
    new = "加入者や事業主に対して、ホームページや定期広報誌等において協会決算や今後の見通しに関する情報を提供する。"
    o, _ = mark_changes(old, new)
    assert marked(o) == [old]


def test_a_rewritten_clause_is_marked_whole_and_the_rest_not() -> None:
    old = "人事評価制度を適切に運用するとともに、評価者の育成に努める。また、研修を実施する。"
    new = "人事評価制度を適切に運用するとともに、評価段階において情報共有を行う。また、研修を実施する。"
    o, n = mark_changes(old, new)
    assert "評価者の育成に努める" in "".join(marked(o))
    assert "研修を実施する" not in "".join(marked(o))
    assert "評価段階において情報共有を行う" in "".join(marked(n))


def test_a_short_unchanged_gap_between_two_marks_joins_them() -> None:
    o, _ = mark_changes("保健指導の拡充と質の向上を図る。", "保健指導の実施率の向上を図る。")
    assert len(marked(o)) == 1


def test_no_mark_is_whitespace_punctuation_or_a_lone_particle() -> None:
    pairs = [
        ("■ KPI：サービススタンダードの達成状況を100%とする", "■KPI：サービススタンダードの達成状況を100%とする"),
        ("事業主への照会を行う。", "事業主の照会を行う。"),
        ("連携を図り、推進する", "連携を図り推進する"),
        ("医療費適正化、効率的な医療の実現等", "医療費適正化・効率的な医療の実現等"),
    ]
    for a, b in pairs:
        o, n = mark_changes(a, b)
        for runs in (o, n):
            assert not any(is_junk(f) for f in fragments(runs)), (a, b, runs)


def test_a_mark_never_starts_or_ends_on_a_space() -> None:
    o, n = mark_changes("■令和4年度目標(KPI)：達成状況 100%", "■ KPI：達成状況を100%とする")
    for runs in (o, n):
        for f in fragments(runs):
            assert f == f.strip()


def test_a_paragraph_number_is_not_marked_when_only_its_text_changed() -> None:
    o, _ = mark_paragraphs(["① 電話対応体制の見直しを図る。"],
                           ["① コールセンターと連携を図るとともに、相談体制の強化を図る。"])
    assert o[0][0] == ("① ", False) and o[0][1][1]


def test_an_added_or_removed_paragraph_is_marked_whole_but_its_number() -> None:
    # seeds/001: 「⑥<u>外国人向けに公的保険の仕組みや…</u>」, 「・<u>事業所を通じて…</u>」
    o, n = mark_paragraphs(["① 研修を実施する。", "② 表彰を実施する。", "・事業所を訪問する。"], ["① 研修を実施する。"])
    assert o == [[("① 研修を実施する。", False)], [("② ", False), ("表彰を実施する。", True)],
                 [("・", False), ("事業所を訪問する。", True)]]
    assert n == [[("① 研修を実施する。", False)]]


def test_a_paragraph_that_only_moved_is_not_marked() -> None:
    old = ["① 申請を審査する。", "② 給付の適正化を推進する。", "③ 文書照会を強化する。"]
    new = ["① 申請を審査する。", "② 文書照会を強化し、厚生局へ情報提供する。", "③ 給付の適正化を推進する。"]
    o, n = mark_paragraphs(old, new)
    assert not any(c for t, c in o[1]) and not any(c for t, c in n[2])
    assert any(c for t, c in o[2])


def test_a_phrase_that_lost_only_punctuation_is_not_marked() -> None:
    o, n = mark_changes("同意書の取得を促進するとともに、健診機関、経済団体等に対し",
                        "同意書の取得を促進するとともに、引き続き健診機関・経済団体等に対し")
    assert marked(o) == []
    assert "引き続き" in "".join(marked(n))


def test_a_mark_does_not_open_on_the_end_of_the_clause_before_it() -> None:
    old = "プログラム修了者への継続的なフォローアップを行う。また、経営者の理解を求め、職場環境づくりをサポートする。"
    o, _ = mark_changes(old, "プログラム修了者への継続的なフォローアップを行う")
    assert marked(o) == ["また、経営者の理解を求め、職場環境づくりをサポートする。"]

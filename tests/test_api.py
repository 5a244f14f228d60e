"""The Python API over the shipped seeds: answers, quotes, sources, follow-ups, updates."""

from __future__ import annotations

import pytest

from qa import NOT_FOUND, Bot, Config, ModelMismatch
from qa.bench.evaluate import evaluate_seeds, judge, load_seed_questions, normalize
from qa.index.indexer import update_index
from qa.index.store import Store
from tests.helpers.corpus import copy_seeds

from .conftest import SEED_QUESTIONS


def test_seed_questions_pass_with_the_short_answer_where_the_kind_has_one(seed_bot):
    items = load_seed_questions(SEED_QUESTIONS)
    report = evaluate_seeds(seed_bot, items)
    failures = [(r.id, r.question, r.expected, r.got) for r in report.failures]
    assert report.passed == report.total == len(items), failures
    assert report.wrong_shown == 0.0


def test_answer_is_marked_inside_a_quote_with_its_source(seed_bot):
    ans = seed_bot.ask("谁主持召开了市委常委会第167次会议？")
    assert ans.found and ans.answer == "黄钦"
    top = ans.quotes[0]
    assert top.source == "001_267acecd1d091097.txt"
    assert top.paragraph >= 1
    s, e = top.highlights[0]
    assert top.text[s:e] == "黄钦"
    a, b = top.sentence_span
    assert top.text[a:b] == top.sentence and a <= s < e <= b
    assert "市委常委会第167次会议" in top.sentence
    assert isinstance(top.score, float)
    data = ans.to_dict()
    assert set(data) >= {"answer", "found", "quotes"}
    assert set(data["quotes"][0]) >= {"text", "sentence", "source", "paragraph", "score"}


def test_traditional_question_finds_simplified_text_and_back(seed_bot):
    ans = seed_bot.ask("誰主持召開了市委常委會第167次會議？")
    assert ans.answer == "黄钦"  # quoted in the document's own (simplified) script
    ans = seed_bot.ask("南通的代市长是谁？")
    assert ans.answer == "吳新明"  # the document is traditional: the quote stays so
    assert normalize(ans.answer) == "吴新明"


def test_reprinted_report_is_one_quote_listing_both_files(seed_bot):
    ans = seed_bot.ask("杜小刚出席了哪个会议？")
    assert ans.found
    sources = {s.source for s in ans.quotes[0].sources}
    assert {"000_f8c39bae8fc0d9fc.txt", "001_267acecd1d091097.txt"} <= sources
    assert len(ans.quotes) == len({q.passage_id for q in ans.quotes})


def test_unanswerable_question_says_not_found(seed_bot):
    ans = seed_bot.ask("北京市委书记是谁？")
    assert not ans.found and ans.answer is None and ans.quotes == []
    assert ans.message.startswith(NOT_FOUND[:NOT_FOUND.index("(")])
    assert "北京" in ans.message  # says what the passages found lacked


@pytest.mark.parametrize("question", ["", "   ", "会" * 5000])
def test_empty_and_huge_questions_get_a_clear_reply(seed_bot, question):
    ans = seed_bot.ask(question)
    assert not ans.found and ans.quotes == [] and ans.message


def test_follow_up_questions_use_the_conversation(seed_bot):
    first = seed_bot.ask("谁主持了市委常委会第167次会议？")
    assert first.answer == "黄钦"
    second = seed_bot.ask("那杜小刚主持了什么会议？", history=[(first.question, first.answer)])
    assert second.found and "会议" in (second.answer or "")
    assert "杜小刚" in second.quotes[0].sentence
    third = seed_bot.ask("他还参加了哪些会议？", history=[(first.question, first.answer),
                                                   (second.question, second.answer)])
    assert third.resolved_question and "杜小刚" in third.resolved_question
    assert third.found and third.answer


def test_seed_judge_counts_a_wrong_answer_as_failure(seed_bot):
    item = {"question": "市委常委会第167次会议由谁主持？", "answers": ["杜小刚"]}
    assert not judge(item, seed_bot.ask(item["question"]))


def test_open_loads_without_re_embedding(seed_dirs, seed_bot):
    corpus, index = seed_dirs
    before = Store(index).current_name()
    bot = Bot.open(corpus=corpus, index=index)
    assert bot.generation.name == before
    assert bot.status().passages == seed_bot.status().passages > 40
    assert bot.ask("南通的代市长是谁？").found


def test_update_after_adding_and_removing_a_file(tmp_path, embedder):
    corpus = copy_seeds(tmp_path / "corpus")
    config = Config.from_env(corpus=corpus, index=tmp_path / "index")
    first = update_index(config, embedder)
    assert len(first.added) == 5 and first.embedded == first.passages
    bot = Bot(config, embedder, Store(config.index).load())

    (corpus / "new.txt").write_text(
        "城市更新会议召开\n\n2023年5月8日，市委书记李明远主持召开城市更新工作推进会，研究部署老旧小区改造工作。\n",
        encoding="utf-8",
    )
    report = bot.update()
    assert report.added == ["new.txt"] and report.embedded == 1 and report.unchanged == 5
    ans = bot.ask("谁主持召开了城市更新工作推进会？")
    assert ans.answer == "李明远" and ans.quotes[0].source == "new.txt"

    unchanged = bot.update()
    assert unchanged.embedded == 0 and not unchanged.changed_anything

    (corpus / "new.txt").unlink()
    report = bot.update()
    assert report.removed == ["new.txt"]
    assert all(q.source != "new.txt" for q in bot.ask("谁主持召开了城市更新工作推进会？").quotes)
    assert "new.txt" not in [s for s, _ in bot.status().files]

    rebuilt = bot.rebuild()
    assert rebuilt.embedded == 0  # every vector comes from the embedding cache
    assert rebuilt.passages == first.passages


def test_index_refuses_to_mix_models(tmp_path, embedder):
    from qa.index.bundled_model import bundled_model_path
    from qa.index.embed import Embedder

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("市委书记李明远主持召开会议。", encoding="utf-8")
    config = Config.from_env(corpus=corpus, index=tmp_path / "index")
    update_index(config, embedder)
    other = Embedder(str(bundled_model_path()))  # same weights, another name: still another model
    with pytest.raises(ModelMismatch, match="qa index --full"):
        update_index(config.replace(model=other.name), other)
    with pytest.raises(ModelMismatch):
        Bot.open(config=config.replace(model=other.name))


def test_passage_ids_are_never_reused(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    config = Config.from_env(corpus=corpus, index=tmp_path / "index")
    (corpus / "a.txt").write_text("市委书记李明远主持召开城市更新工作推进会。", encoding="utf-8")
    (corpus / "b.txt").write_text("市长王晓东出席全市安全生产工作会议。", encoding="utf-8")
    update_index(config, embedder)
    first = Bot(config, embedder, Store(config.index).load())
    old_ids = {q.passage_id for q in first.ask("谁主持召开了城市更新工作推进会？").quotes}
    old_ids |= {q.passage_id for q in first.ask("谁出席了全市安全生产工作会议？").quotes}
    (corpus / "b.txt").unlink()
    update_index(config, embedder)
    (corpus / "c.txt").write_text("副市长赵一鸣主持召开防汛工作部署会。", encoding="utf-8")
    update_index(config, embedder)
    new = first.ask("谁主持召开了防汛工作部署会？")  # the running bot picks up the new generation
    assert new.answer == "赵一鸣"
    assert new.quotes[0].passage_id > max(old_ids)


def test_quotes_carry_their_whole_paragraph_from_the_same_generation(small_corpus, embedder):
    corpus, index = small_corpus
    # One paragraph long enough to be stored as several passages.
    filler = "".join(f"第{i}项工作由各区县按计划推进，并在月底前报送进展情况。" for i in range(1, 16))
    paragraph = f"2023年4月2日，副市长周文斌主持召开河道整治专题会议。{filler}会议最后要求各单位压实河长责任。"
    (corpus / "河道.txt").write_text(f"河道整治专题会议召开\n{paragraph}\n", encoding="utf-8")
    config = Config.from_env(corpus=corpus, index=index)
    update_index(config, embedder)
    bot = Bot(config, embedder, Store(index).load())
    assert len(bot.generation.paragraph("河道.txt", 1)) > 1
    answer = bot.ask("会议最后要求各单位压实什么责任？")
    quote = answer.quotes[0]
    assert quote.context is not None and quote.context.text == paragraph
    assert quote.context.text[quote.context.offset:quote.context.offset + len(quote.text)] == quote.text
    assert quote.context.offset > 0  # the quote is a later piece of the paragraph
    assert answer.to_dict()["quotes"][0]["context"] == {"text": paragraph, "offset": quote.context.offset}

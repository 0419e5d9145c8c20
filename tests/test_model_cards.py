"""Model cards (ml/cards.py): one row per model in ml.model_cards, handed over like the score
sets, and one report page per model (reports/pages/models/[model].md)."""

from __future__ import annotations

import pandas as pd
from conftest import Build

from ml import cards, claims, creators, io

MODELS = {*claims.MODELS, *creators.MODELS}


def _cards(build: Build) -> pd.DataFrame:
    return build.df("select * from ml.model_cards order by model")


def test_one_card_per_model_with_every_section(sample_build: Build):
    df = _cards(sample_build)
    assert set(df["model"]) == MODELS and df["model"].is_unique
    for _, card in df.iterrows():
        assert card["status"] == "trained", card["model"]
        for field in ("label_definition", "features", "excluded_features", "split_rule", "headline_metrics"):
            assert isinstance(card[field], str) and len(card[field]) > 20, (card["model"], field)
        assert "95% bootstrap interval" in card["headline_metrics"], card["model"]
        assert "beaten" in card["baselines"], card["model"]
        assert card["group_metrics"].startswith("ml.model_metrics rows"), card["model"]
        assert card["training_frame"] == f"ml_features.ml_features__{card['model']}"


def test_card_versions_are_the_versions_of_the_metrics(sample_build: Build):
    versions = dict(
        sample_build.query(
            "select model, any_value(model_version) from ml.model_metrics "
            "where not contains(model, '__') and group_name = 'all' group by model"
        )
    )
    for model, version in sample_build.query("select model, model_version from ml.model_cards"):
        assert versions[model] == version, model


def test_cards_say_what_each_model_must(sample_build: Build):
    df = _cards(sample_build).set_index("model")
    active = df.loc["creators_active"]
    assert "30 days" in active["label_definition"] and "reference time" in active["label_definition"]
    assert "scrape `timestamp`" in active["reference_time"] and "x-expires" in active["reference_time"]
    assert "never a file-wide time" in active["reference_time"]
    assert "reference time" in active["excluded_features"] and "top videos" in active["excluded_features"]
    assert "F1 0.93" in active["notes"], "the seed project's figure, and what this file says about it"
    regression = df.loc["claim_engagement_regression"]
    assert "R^2 > 0.85" in regression["notes"] and "watch time" in regression["notes"]
    assert "video_view_count" in regression["excluded_features"] and "Leakage check" in regression["excluded_features"]
    classifier = df.loc["claim_classifier"]
    assert classifier["chosen_candidate"] in classifier["notes"]
    assert "random_forest" in classifier["notes"], "the seed's random forest stays a reported candidate"
    assert "recall >= 0.95" in classifier["threshold_rule"]
    segments = df.loc["creator_segments"]
    names = [n for (n,) in sample_build.query("select distinct segment_name from ml.creator_segments")]
    assert all(name in segments["group_metrics"] for name in names)
    assert "tier" in segments["baselines"]


def test_cards_of_other_models_survive_a_run_of_some_modules(tmp_path):
    seeds = tmp_path / "seeds"
    first = io.Context(warehouse=io.Warehouse(tmp_path / "none.duckdb"), seeds_dir=seeds, artifacts_dir=tmp_path)
    first.cards = [
        cards.ModelCard(model="claim_classifier", title="old", task="t", training_frame="f").row(),
        cards.ModelCard(model="creators_active", title="old", task="t", training_frame="f", n_train=10).row(),
    ]
    cards.write(first)
    second = io.Context(warehouse=first.warehouse, seeds_dir=seeds, artifacts_dir=tmp_path)
    second.cards = [cards.skipped("creators_active", "new", "t", "f", "no top videos").row()]
    rows = cards.write(second, set(creators.MODELS))
    assert list(rows["model"]) == ["claim_classifier", "creators_active"]
    assert rows.set_index("model").loc["claim_classifier", "title"] == "old"
    assert rows.set_index("model").loc["creators_active", "status"] == "not trained: no top videos"
    # a whole run replaces every card
    third = io.Context(warehouse=first.warehouse, seeds_dir=seeds, artifacts_dir=tmp_path)
    third.cards = [cards.ModelCard(model="creator_segments", title="s", task="t", training_frame="f").row()]
    assert list(cards.write(third)["model"]) == ["creator_segments"]
    assert (seeds / "model_cards.csv").read_text().startswith(",".join(cards.COLUMNS) + "\n")


def test_card_wording_helpers():
    assert cards.with_interval("recall", 0.9987, (0.9961, 1.0)) == "recall 0.999 (95% bootstrap interval 0.996-1.000)"
    assert "rule of three" in cards.zero_error_bound(1922, 0, "claim")
    assert cards.zero_error_bound(1922, 2, "claim") == ""
    sentence = cards.baseline_sentence([("prior", 0.66, 0.99), ("rule", 0.995, 0.99)], "F1")
    assert "prior: F1 0.660 vs the model's 0.990 (beaten)" in sentence and "(NOT beaten)" in sentence

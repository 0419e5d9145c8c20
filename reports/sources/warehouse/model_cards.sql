-- ml.model_cards: one model card per model of the ML step (python -m ml run, ml/cards.py).
select * from ml.model_cards

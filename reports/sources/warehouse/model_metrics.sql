-- ml.model_metrics: the ML step's metrics seed (python -m ml run), one row per model, split, group, metric.
select * from ml.model_metrics

{#-
  A/B test read-out for every experiment in the `ab_test_experiments` seed (one row per
  non-control variant vs its experiment's control): lift, pooled two-proportion z-test,
  two-sided p-value and 95% Wald interval of the difference.

  Your own experiment: replace seeds/ab_test_experiments.csv with rows of experiment_id,
  variant, is_control, exposures, conversions (one control per experiment) and rebuild; or call
  ab_test_analysis(ref('my_experiments'), confidence=0.99) in a model of your own.
-#}
{{ ab_test_analysis(ref('ab_test_experiments')) }}

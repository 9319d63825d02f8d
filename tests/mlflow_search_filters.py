"""Filter strings from MLflow's own search tests, retyped as data for tests/test_mlflow_filters.py.

Sources (github.com/mlflow/mlflow): tests/utils/test_search_utils.py (test_filter, test_correct_quote_trimming,
test_correct_filtering, test_filter_runs_by_start_time/_end_time/_user_id, test_filter_runs_by_tag_and_param_is_null)
and tests/store/tracking/test_sqlalchemy_store.py (test_search_params, _tags, _metrics, _attrs, _full,
test_search_runs_run_name, _run_id, _start_time_alias, _datasets, _datasets_with_param_filters), plus the
cases of labtrack issue 17. `{r1}`..`{r4}` stand for the run ids, `{art}` for the artifact root.
"""

from __future__ import annotations

FILTERS = [
    # test_search_utils.py: test_filter / test_correct_quote_trimming
    "metric.acc >= 0.94", "metric.acc>=100", "params.m!='tf'", 'params."m"!="tf"',
    'metric."legit name" >= 0.243', "metrics.XYZ = 3", 'params."cat dog" = "pets"', 'metrics."X-Y-Z" = 3',
    "params.model = 'LinearRegression'", "metrics.rmse < 1 and params.model_class = 'LR'", "",
    "`metric`.a >= 0.1", "`params`.model >= 'LR'", "tags.version = 'commit-hash'",
    "`tags`.source_name = 'a notebook'", 'metrics."accuracy.2.0" > 5', "metrics.`spacey name` > 5",
    'params."p.a.r.a.m" != "a"', 'tags."t.a.g" = "a"', "attribute.artifact_uri = '1/23/4'",
    "attribute.start_time >= 1234", "run.status = 'RUNNING'", "dataset.name = 'my_dataset'",
    "tags.version IS NULL", "tags.version IS NOT NULL", "params.lr IS NULL", "params.lr IS NOT NULL",
    "tags.a IS NULL AND params.b = 'val'", "params.m = 'LR'", 'params.m = "LR"', "params.m = \"L'Hosp\"",
    # test_correct_filtering
    "attributes.status = 'FAILED'", "metrics.key1 = 123", "metrics.key1 != 123", "metrics.key1 >= 123",
    "params.my_param = 'A'", "tags.tag1 = 'D'", "tags.tag1 != 'D'",
    "params.my_param = 'A' AND attributes.status = 'FAILED'", "datasets.name = 'name1'",
    "datasets.name IN ('name1', 'name2')", "datasets.digest IN ('digest1', 'digest2')",
    "datasets.name = 'name1' AND datasets.digest = 'digest2'", "datasets.context = 'train'",
    "datasets.name = 'name1' AND datasets.context = 'train'",
    # test_filter_runs_by_start_time / end_time / user_id / tag and param IS NULL
    "attribute.start_time >= 0", "attribute.start_time > 1", "attribute.start_time = 2",
    "attribute.end_time >= 0", "attribute.end_time > 1", "attribute.end_time = 5",
    "attribute.user_id = 'bob'", "tags.env IS NOT NULL", "tags.env IS NULL",
    # test_sqlalchemy_store.py: test_search_params
    "params.generic_param = 'p_val'", "params.generic_2 = 'some value'", "params.generic_2 = 'another value'",
    "params.generic_param = 'wrong_val'", "params.generic_param != 'p_val'",
    "params.generic_param != 'wrong_val'", "params.generic_2 != 'wrong_val'", "params.p_a = 'abc'",
    "params.p_a = 'ABC'", "params.p_a != 'ABC'", "params.p_b = 'ABC'", "params.generic_2 LIKE '%other%'",
    "params.generic_2 LIKE 'other%'", "params.generic_2 LIKE '%other'", "params.generic_2 LIKE 'other'",
    "params.generic_2 LIKE '%Other%'", "params.generic_2 ILIKE '%Other%'",
    # test_search_tags
    "tags.generic_tag = 'p_val'", "tags.generic_tag = 'P_VAL'", "tags.generic_tag != 'P_VAL'",
    "tags.generic_2 = 'some value'", "tags.generic_2 = 'another value'", "tags.generic_tag = 'wrong_val'",
    "tags.generic_tag != 'p_val'", "tags.generic_tag != 'wrong_val'", "tags.generic_2 != 'wrong_val'",
    "tags.p_a = 'abc'", "tags.p_b = 'ABC'", "tags.generic_2 LIKE '%other%'", "tags.generic_2 LIKE '%Other%'",
    "tags.generic_2 LIKE 'other%'", "tags.generic_2 LIKE '%other'", "tags.generic_2 LIKE 'other'",
    "tags.generic_2 ILIKE '%Other%'", "tags.generic_2 ILIKE '%Other%' and tags.generic_tag = 'p_val'",
    "tags.generic_2 ILIKE '%Other%' and tags.generic_tag ILIKE 'p_val'",
    # test_search_metrics
    "metrics.common = 1.0", "metrics.common > 0.0", "metrics.common >= 0.0", "metrics.common < 4.0",
    "metrics.common <= 4.0", "metrics.common != 1.0", "metrics.common >= 3.0", "metrics.common <= 0.75",
    "metrics.measure_a > 0.0", "metrics.measure_a < 50.0", "metrics.measure_a < 1000.0",
    "metrics.measure_a != -12.0", "metrics.measure_a > 50.0", "metrics.measure_a = 1.0",
    "metrics.measure_a = 400.0", "metrics.m_a > 1.0", "metrics.m_b > 1.0", "metrics.m_b > 5.0",
    "metrics.m_b = 4.0",
    # test_search_attrs
    "attribute.status != 'blah'", "attribute.status = 'RUNNING'", "attribute.status = 'FAILED'",
    "attribute.status != 'SCHEDULED'", "attribute.status = 'SCHEDULED'", "attribute.status = 'KILLED'",
    "attr.artifact_uri = '{art}/{r1}/artifacts'", "attr.artifact_uri = '{art}/{R1}/artifacts'",
    "attr.artifact_uri != '{art}/{R1}/artifacts'", "attribute.artifact_uri = 'random_artifact_path'",
    "attribute.artifact_uri != 'random_artifact_path'", "attribute.artifact_uri LIKE '%{r1}%'",
    "attribute.artifact_uri LIKE '%{R1}%'", "attribute.artifact_uri ILIKE '%{R1}%'",
    # test_search_full
    "params.generic_param = 'p_val' and metrics.common = 1.0",
    "params.generic_param = 'p_val' and metrics.common = 1.0 and metrics.m_a > 1.0",
    "params.generic_param = 'p_val' and metrics.common = 1.0 and metrics.m_a > 1.0 and params.p_a LIKE 'a%'",
    "params.generic_param = 'p_val' and metrics.common = 1.0 and metrics.m_a > 1.0 and params.p_a LIKE 'A%'",
    "params.generic_param = 'p_val' and metrics.common = 1.0 and metrics.m_a > 1.0 and params.p_a ILIKE 'A%'",
    "params.random_bad_name = 'p_val' and metrics.common = 1.0 and metrics.m_a > 1.0",
    "params.generic_param = 'p_val' and metrics.common = 1.0 and metrics.m_a > 100.0",
    # test_search_runs_run_name / run_id / start_time_alias
    "attributes.run_name = 'run_name1'", "attributes.`Run name` = 'run_name1'",
    "attributes.`run name` = 'run_name2'", "attributes.`Run Name` = 'run_name2'",
    "tags.`mlflow.runName` = 'run_name2'", "attributes.run_id = '{r1}'", "attributes.run_id != '{r1}'",
    "attributes.run_id IN ('{r1}')", "attributes.run_id NOT IN ('{r1}')",
    "run_name = 'run_name1' AND run_id IN ('{r1}')", "attributes.run_id IN ('{r1}','{r2}')",
    "attributes.run_id IN ('{r1}', '{r2}')", "attributes.run_id IN ('{r1}',  '{r2}')",
    "attributes.run_id NOT IN ('{r1}', '{r2}')", "attributes.start_time > 0", "attributes.created > 1",
    "attributes.Created > 2",
    # test_search_runs_datasets (+ _with_param_filters)
    "dataset.name = 'name1'", "dataset.digest = 'digest2'", "dataset.name = 'name4'",
    "dataset.context = 'train'", "dataset.context = 'test'", "dataset.context = 'test' and dataset.name = 'name2'",
    "dataset.name = 'name2' and dataset.context = 'test'", "datasets.name LIKE 'Name%'",
    "datasets.name ILIKE 'Name%'", "datasets.context ILIKE 'test%'", "datasets.context IN ('test', 'train')",
    "params.learning_rate = '0.01' AND dataset.name = 'name1'",
    "params.learning_rate = '0.01' AND dataset.context = 'train'",
    "params.learning_rate = '0.01' AND params.batch_size = '32' AND dataset.name = 'name1'",
    # labtrack issue 17: the filters that used to answer differently
    "attributes.start_time > 1796102691177", "attributes.end_time < 1796102691999", "params.lr = '1e-05'",
    "params.flag = 'True'", "params.flag = 'False'", "params.x = '0.3'", "params.x = '0.30000000000000004'",
    "params.path = 'C:\\new\\table'", "attributes.status = 'KILLED'", "attributes.status = 'killed'",
    "attributes.status = 'Finished'", "metrics.nanny != 1", "metrics.nanny != 0", "metrics.acc != 0.9",
    "attributes.user_id = 'alice'", "attributes.user_id != 'alice'", "attributes.status LIKE 'FIN%'",
    "attributes.status ILIKE 'kill%'", "run_name LIKE 'run%'", "attributes.run_id LIKE '{r1}'",
    "`Run name` = 'run_name1'", "metrics.nanny > -1", "metrics.nanny = 0", "params.lr < '5'",
    "params.batch_size >= '32'", "tags.tag1 IN ('C', 'D')", "params.m NOT IN ('LR')",
]  # fmt: skip

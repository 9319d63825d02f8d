"""Autolog for Keras 3 on the JAX backend (CPU): `model.fit` in a `%%track` cell and inside `lt.run`."""

from __future__ import annotations

import os

os.environ.setdefault(
    "KERAS_BACKEND", "jax"
)  # before keras is imported: TensorFlow is not installed

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import labtrack as lt  # noqa: E402

rng = np.random.default_rng(0)
X = rng.random((64, 3)).astype("float32")
Y = (X.sum(axis=1) > 1.5).astype("float32")
SETTINGS = {
    "amsgrad",
    "beta_1",
    "beta_2",
    "clipnorm",
    "clipvalue",
    "ema_momentum",
    "ema_overwrite_frequency",
    "epsilon",
    "global_clipnorm",
    "gradient_accumulation_steps",
    "learning_rate",
    "loss_scale_factor",
    "use_ema",
    "weight_decay",
}


@pytest.fixture(autouse=True)
def autolog_on(store_dir):
    assert keras.backend.backend() == "jax"
    lt.autolog()
    yield
    lt.autolog()


def small_model() -> keras.Model:
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(4, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


def test_fit_in_a_tracked_cell_records_settings_optimizer_and_epoch_logs(ip):
    ip.user_ns.update(X=X, y=Y, model=small_model())
    assert ip.run_cell(
        "%%track keras\nhistory = model.fit(X, y, epochs=3, batch_size=16, "
        "validation_split=0.25, verbose=0)"
    ).success
    record = lt.get_run("keras")
    assert set(record.params) == {
        "epochs",
        "batch_size",
        "validation_split",
        "optimizer",
        "param_count",
        *(f"optimizer.{k}" for k in SETTINGS),
    }
    assert (record.params["epochs"], record.params["batch_size"], record.params["optimizer"]) == (
        3,
        16,
        "Adam",
    )
    assert record.params["optimizer.learning_rate"] == 0.01 and record.params["param_count"] == 21
    assert set(record.metrics) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    history = ip.user_ns["history"].history
    recorded = lt.history(record.number, "val_loss")
    assert list(recorded["step"]) == [0, 1, 2] and list(recorded["value"]) == pytest.approx(
        history["val_loss"]
    )
    assert record.tags == {"autolog": "keras"}


def test_fit_in_lt_run_with_the_default_batch_size_and_the_users_callbacks(store_dir):
    model, seen = small_model(), []
    callbacks = [
        keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(epoch))
    ]
    with lt.run() as run:
        model.fit(X, Y, epochs=2, verbose=0, callbacks=callbacks)
    record = lt.get_run(run.number)
    assert record.params["batch_size"] == 32 and set(record.metrics) == {"loss", "accuracy"}
    assert seen == [0, 1] and len(callbacks) == 1


@pytest.mark.filterwarnings(
    "ignore:__array__ implementation:DeprecationWarning"
)  # Keras' get_weights on NumPy 2
def test_the_trained_weights_are_the_same_as_without_autolog(store_dir):
    plain = small_model()
    plain.fit(X, Y, epochs=2, verbose=0, shuffle=False)
    tracked = small_model()
    with lt.run():
        tracked.fit(X, Y, epochs=2, verbose=0, shuffle=False)
    assert all(np.array_equal(a, b) for a, b in zip(plain.get_weights(), tracked.get_weights()))

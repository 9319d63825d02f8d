"""The MLflow bridge: push labtrack runs to an MLflow tracking server."""

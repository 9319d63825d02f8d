"""Autolog: the hyperparameters and learning curves of ML libraries, recorded into the active run."""

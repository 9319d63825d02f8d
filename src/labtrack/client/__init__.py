"""The bound client: `Lab`, one object over one store that serves every face."""

"""Pod Security Standards controls of the baseline level."""

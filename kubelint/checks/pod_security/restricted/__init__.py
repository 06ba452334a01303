"""Pod Security Standards controls of the restricted level."""

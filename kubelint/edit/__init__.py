"""The editing engine: fixes of findings applied to manifest text, touching only the lines
they change.

- :func:`apply` turns the fixes of findings into a new text (or refuses each with a
  reason); comments, quoting, key order, document markers, line breaks and indentation
  outside the edited spans are kept byte for byte.
- :func:`apply_to_data` is what the edits mean for the data; :func:`apply` checks the new
  text against it and refuses a fix whose text does not read back so.
- :func:`render_scalar` writes a value as a YAML scalar that reads back as itself.
"""

from kubelint.edit.data import EditError, apply_to_data
from kubelint.edit.engine import Applied, apply
from kubelint.edit.render import render_scalar

__all__ = ["Applied", "EditError", "apply", "apply_to_data", "render_scalar"]

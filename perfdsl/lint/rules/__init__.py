"""One module per reviewer's rule."""

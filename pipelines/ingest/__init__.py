"""Where data enters: raw csv/xlsx extracts → validated, normalised staging frames."""

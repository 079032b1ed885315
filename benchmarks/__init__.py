"""Performance benchmarks of the pipeline and the reference implementations they compare with."""

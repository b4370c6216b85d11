// Never built: tests/cmake/boundary_violation only configures.

"""Lead stages: the pipeline's transition graph, status changes with their history, and the
stage metrics."""

"""The pipeline: frames -> landmarks (estimator) -> the core engine -> events, for a video file
(analysis, parallel, batch, distributed), for the live camera (live), and against labels
(evaluation)."""

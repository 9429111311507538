"""The pure analysis core: no I/O, no UI. Data flows landmarks -> signals -> engine -> events."""

"""Everything that touches files, devices and the outside world."""

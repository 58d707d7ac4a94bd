"""govqms: electronic ISO 9001:2015 quality management for Vietnam's state agencies."""

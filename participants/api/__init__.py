"""The participants part of the partner REST API (/api/v1/)."""

"""The programs part of the partner REST API (/api/v1/)."""

"""The /api/v1/ package: router, error handling, pagination and the OpenAPI document."""

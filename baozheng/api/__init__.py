"""The JSON API other systems use (django-ninja, versioned under /api/v1/, OpenAPI at
/api/openapi.json): API tokens for systems, the read routes of every part of the product,
batch writes of observations and targets, one error shape, ETags and rate limits."""

"""OpenAPI: the document generated from the routes (`/openapi.json`) and its browsable page (`/docs`)."""

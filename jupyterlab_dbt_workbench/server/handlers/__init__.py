"""One module of handlers per area of the API."""

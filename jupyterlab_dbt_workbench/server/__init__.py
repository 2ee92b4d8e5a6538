"""The Jupyter server shell over the workbench core: handlers, routes, OpenAPI, errors."""

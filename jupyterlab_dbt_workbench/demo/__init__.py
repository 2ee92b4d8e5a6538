"""The demo dbt project shipped with the workbench and the command that prepares it."""

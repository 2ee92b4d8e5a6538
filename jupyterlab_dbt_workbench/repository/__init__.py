"""The Git repository holding a dbt project: status, diffs, commits, branches and remotes.

Named operations only: every function runs git with fixed arguments and validated values,
never a command line given by a caller. GitPython is imported inside functions.
"""

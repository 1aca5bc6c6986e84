"""Analysis over a workspace: pitfall checks (findings), rule references, diffs, billing.

Qt-free: everything here works on a plain ``sqlite3`` connection to the workspace.
"""

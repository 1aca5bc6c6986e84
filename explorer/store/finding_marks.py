"""What makes a finding open, as one SQL phrase for every query that reads ``findings f``.

A finding is open until the user accepts it; the tree's marks, the lists' Findings column,
the report's "objects with findings" scope and the findings' own queries must agree on that.
"""

from __future__ import annotations

# True for the finding row ``f`` when no acceptance covers its check and object.
NOT_ACCEPTED = (
    "NOT EXISTS (SELECT 1 FROM finding_acceptances a WHERE a.check_id = f.check_id "
    "AND a.object_kind = f.object_kind AND a.object_id = f.object_id)"
)

# True for the finding row ``f`` when it marks its object in the tree: open, and a warning or
# worse. Info findings do not mark: on a large tenant ~100k unused traits would mark nearly
# every trait (the findings panel lists them in one summary row).
MARKS_ITS_OBJECT = f"f.severity IN ('error', 'warning') AND {NOT_ACCEPTED}"

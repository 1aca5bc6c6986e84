"""Workshop mode: zoom, presentation, themes, masking and keyboard help for shared screens."""

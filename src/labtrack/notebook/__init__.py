"""The notebook face: the magics, the cell tracker, what a cell captures (params, figures) and the widgets."""

"""Measures: questionnaires defined as data, and one scoring engine for all of them.

No Qt and no database here: the definitions (`definition`), the registry that loads the
shipped ones (`registry`) and the scoring (`scoring`) are pure, so the data layer, the
report and the window all score a form the same way.
"""

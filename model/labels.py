"""Chinese names of the score terms, shared by the reports (model/report.py)
and the diff's text (model/diff.py) without either importing the other."""

TERM_ZH = {"merit": "考核与推荐", "continuity": "班子稳定(留任)", "reserve": "后备干部"}

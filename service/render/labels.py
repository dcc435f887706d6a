"""Chinese names of the things a report names by id: the score terms and the
solve statuses."""

from model.slate import SolveStatus

TERM_ZH = {"merit": "考核与推荐", "continuity": "班子稳定(连任、接任)", "succession": "正常接任",
           "reserve": "后备干部",
           "left_out": "在任成员未安排"}

STATUS_ZH = {
    SolveStatus.OPTIMAL: "最优(已证明)",
    SolveStatus.FEASIBLE: "可行(未证明最优)",
    SolveStatus.INFEASIBLE: "无可行方案",
    SolveStatus.UNKNOWN: "时限内未找到方案",
    SolveStatus.MODEL_INVALID: "模型无效",
}


def term_zh(term: str) -> str:
    """A score term's name; a rule's penalty term is named by its rule id."""
    return TERM_ZH.get(term, term)

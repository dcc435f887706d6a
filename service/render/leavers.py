"""The wordings of the 退出名单: why each sitting member without a seat leaves
(model/leavers.py), the cost of one left out, and a leaver as one line. The
report's own table of leavers is laid out elsewhere; it words them with these."""

from __future__ import annotations

from model.reasons import Reason
from model.slate import Leaver
from service.render.words import Names, fixed, say, words


def post_in(township: str, post: str, names: Names) -> str:
    """'东山镇党委书记': the post held now, in its township."""
    return names.township(township) + names.post(post, township)


@words("leaver_age")
def _age(a: dict, n: Names) -> str:
    return f"到龄:{say_finding(a, n)}({a['rule']})"


@words("leaver_votes")
def _votes(a: dict, n: Names) -> str:
    return f"测评/推荐未过:{say_finding(a, n)}({a['rule']})"


@words("leaver_rotation")
def _rotation(a: dict, n: Names) -> str:
    return (f"任{n.post(a['post'])}已满{a['tenure']}年,满{a['years']}年须交流,"
            f"未安排到其他乡镇({a['rule']})")


fixed("leaver_removed", "情景中移出候选池")
fixed("leaver_not_selected", "未选任")


@words("left_out")
def _left_out(a: dict, n: Names) -> str:
    return f"{n.cadre(a['cadre'])}({post_in(a['township'], a['post'], n)})未安排到任何班子"


def say_finding(a: dict, n: Names) -> str:
    """The rule's own finding on the cadre, carried in the leaver reason's `finding`."""
    return say(Reason.model_validate(a["finding"]), n)


def leaver_text(leaver: Leaver, names: Names) -> str:
    """'王某(东山镇党委书记):到龄:…;任职满10年…': one line of a 退出名单."""
    why = ";".join(say(r, names.at(leaver.township)) for r in leaver.reasons)
    where = post_in(leaver.township, leaver.post.value, names)
    dest = f"  去向:{leaver.destination.zh}" if leaver.destination else ""
    return f"{names.cadre(leaver.cadre)}({where}):{why}{dest}"

"""The wordings of what the referee finds: each rule kind's findings, the pins
and bans, the score terms, and a rule instance or score term as one sentence.

A finding on a seat (a seated rule, a bonus term) is worded without its place;
`instance_text` and `term_text` put "<name>任<seat>:" before it."""

from __future__ import annotations

from typing import Any

from model.enums import Education, Grade, Post
from model.reasons import Reason
from model.rules.base import CountTarget, Who
from model.slate import RuleInstance, ScoreTerm
from service.render.words import Names, say, words

ON_SEAT: set[str] = set()
"""The codes of findings on the cadre in a seat: worded after the seat's prefix."""


def on_seat(code: str):
    """Register the wording of a finding on a seat."""
    ON_SEAT.add(code)
    return words(code)


def placed(code: str, fact: str, township: str | None, seat: str | None, cadre: str | None,
           names: Names) -> str:
    if code in ON_SEAT and seat is not None and cadre is not None and township is not None:
        return f"{names.cadre(cadre)}任{names.seat(township, seat)}:{fact}"
    return fact


def instance_text(r: RuleInstance, names: Names) -> str:
    """The instance's sentence, as the rule report shows it."""
    return placed(r.reason.code, say(r.reason, names.at(r.township)), r.township, r.seat, r.cadre, names)


def term_text(t: ScoreTerm, names: Names) -> str:
    """The sentence justifying a score term (e.g. "王某任党委书记:近三年考核优秀2次")."""
    return placed(t.reason.code, say(t.reason, names.at(t.township)), t.township, t.seat, t.cadre, names)


def sub_reasons(items: list[dict[str, Any]], names: Names) -> list[str]:
    """Reasons carried inside another reason's args, as `{code, args}` dicts."""
    return [say(Reason.model_validate(d), names) for d in items]


# --- phrases ------------------------------------------------------------------------


def who_text(who: dict[str, Any]) -> str:
    """A count rule's filter as a phrase, e.g. '30岁以下、女'."""
    w = Who.model_validate(who)
    parts: list[str] = []
    if w.min_age is not None and w.max_age is not None:
        parts.append(f"{w.min_age}至{w.max_age}岁")
    elif w.max_age is not None:
        parts.append(f"{w.max_age}岁以下")
    elif w.min_age is not None:
        parts.append(f"{w.min_age}岁以上")
    if w.gender is not None:
        parts.append(w.gender.zh)
    if w.min_township_years is not None:
        parts.append(f"具有{w.min_township_years}年以上乡镇工作经历")
    if w.minority is not None:
        parts.append("少数民族" if w.minority else "汉族")
    if w.origins:
        parts.append("或".join(o.zh for o in w.origins) + "出身")
    if w.local is not None:
        parts.append("本地" if w.local else "交流")
    return "、".join(parts) or "任意"


def filter_text(posts: list[str], principal: bool) -> str:
    """The seats a rule looks at: 党政正职, 党委书记, 乡镇领导班子成员."""
    if principal and not posts:
        return "党政正职"
    named = "、".join(Post(p).zh for p in posts)
    if principal:
        return "党政正职及" + named
    return named or "乡镇领导班子成员"


def place_text(township: str | None, post: str | None, names: Names) -> str:
    """A count rule's place: 安水镇, 全县, 全县党委书记."""
    return (names.township(township) if township else "全县") + (names.post(post, township) if post else "")


def target_text(a: dict[str, Any]) -> str:
    """至少2名, 多于上届, 不少于2/3, 全部."""
    if a["min_count"] is not None:
        return f"至少{a['min_count']}名"
    if a["more_than_sitting"]:
        return "多于上届"
    s = CountTarget(who=Who(), min_share=a["min_share"]).share
    return f"不少于{s.numerator}/{s.denominator}" if s.denominator != 1 else "全部"


def pct(share: float) -> str:
    """A share as a percentage with one decimal only where needed: 50%, 33.3%."""
    return f"{share * 100:.1f}".rstrip("0").rstrip(".") + "%"


def posts_text(posts: list[str], names: Names) -> str:
    """Posts held together, titled in the sentence's township: 副镇长兼党委委员."""
    return "兼".join(names.post(p) for p in posts)


# --- count, expertise and shape rules ---------------------------------------------


@words("count")
def _count(a: dict, n: Names) -> str:
    before = f",上届{a['sitting']}名" if a["more_than_sitting"] else ""
    # the seat filter names the post of a place checked post by post (D1-K1)
    return (f"{place_text(a['township'], None, n)}{filter_text(a['posts'], a['principal'])}"
            f"{a['total']}个职位中{who_text(a['who'])}干部{a['have']}名{before},"
            f"要求{target_text(a)}(至少{a['need']}名)")


@words("expertise")
def _expertise(a: dict, n: Names) -> str:
    missing = f"(缺:{'、'.join(a['missing'])})" if a["missing"] else ""
    return (f"{n.township(a['township'])}{filter_text(a['posts'], a['principal'])}"
            f"专长覆盖{a['covered']}类,要求{a['need']}类{missing}")


@words("team_shape")
def _team_shape(a: dict, n: Names) -> str:
    return f"{n.township(a['township'])}:" + (";".join(sub_reasons(a["problems"], n)) or "职数与兼任符合")


@words("shape_seats")
def _shape_seats(a: dict, n: Names) -> str:
    return f"职数{a['have']}名,应为{a['want']}名"


@words("shape_posts")
def _shape_posts(a: dict, n: Names) -> str:
    lo, hi = a["lo"], a["hi"]
    want = f"{lo}名" if lo == hi else f"{lo}至{hi}名"
    return f"{posts_text(a['posts'], n)}{a['have']}名,应为{want}"


@words("shape_together")
def _shape_together(a: dict, n: Names) -> str:
    return f"{n.post(a['post'])}未兼任{n.post(a['other'])}"


@words("shape_apart")
def _shape_apart(a: dict, n: Names) -> str:
    return f"{n.post(a['post'])}与{n.post(a['other'])}应分设"


# --- seated rules: findings on the cadre in a seat --------------------------------


on_seat("seat_ok")(lambda _a, _n: "符合")


@on_seat("experience_short")
def _experience_short(a: dict, n: Names) -> str:
    what = "乡镇工作" if a["field"] == "township_years" else "乡镇领导任职"
    return f"{what}经历{a['years']}年,少于{a['min_years']}年"


@on_seat("education_below")
def _education_below(a: dict, n: Names) -> str:
    return f"学历{Education(a['education']).zh},低于{Education(a['minimum']).zh}"


@on_seat("ethnic_head")
def _ethnic_head(a: dict, n: Names) -> str:
    return f"民族乡须由{a['required']}公民担任,本人为{a['ethnicity']}"


@on_seat("votes_short")
def _votes_short(a: dict, n: Names) -> str:
    return f"推荐票{pct(a['share'])}未过{pct(a['floor'])}"


@on_seat("incompetent_votes")
def _incompetent_votes(a: dict, n: Names) -> str:
    return f"不称职票{pct(a['share'])}超过{pct(a['cap'])}"


@on_seat("age_kept")
def _age_kept(a: dict, n: Names) -> str:
    return f"{a['age']}岁,因工作需要留任不得超过{a['limit']}岁"


@on_seat("age_exit")
def _age_exit(a: dict, n: Names) -> str:
    return f"{a['age']}岁,已满{a['limit']}岁,一般不再担任科级领导职务"


@on_seat("age_promotion")
def _age_promotion(a: dict, n: Names) -> str:
    what = "提任正科级" if a["rank"] == "full_section" else "新提任副科级"
    extra = "(特别优秀)" if a["outstanding"] else ""
    return f"{a['age']}岁,{what}{extra}不得超过{a['cap']}岁"


@on_seat("tenure_reached")
def _tenure_reached(a: dict, n: Names) -> str:
    away = "" if a.get("same_post", True) else "出本乡镇班子"
    return f"在本乡镇{n.post(a['post'])}职位已任职{a['tenure']}年,满{a['years']}年应交流{away}"


@on_seat("merit_below")
def _merit_below(a: dict, n: Names) -> str:
    return f"考核推荐积分{a['points']},低于{a['min_points']}"


@on_seat("full_term_short")
def _full_term_short(a: dict, n: Names) -> str:
    return f"交流任职,届满时{a['end_age']}岁,超过{a['limit']}岁,不能干满一届"


# --- the bonus terms of the score -------------------------------------------------


@on_seat("merit")
def _merit(a: dict, n: Names) -> str:
    text = "、".join(f"{Grade(g).zh}{k}次" for g, k in a["grades"].items()) or "无考核记录"
    if a["recommendation_share"]:
        text += f",推荐票{a['recommendation_share']:.0%}"
    return "近三年考核" + text


@on_seat("continuity")
def _continuity(a: dict, n: Names) -> str:
    if a["step"]:
        return f"本乡镇{n.post(a['post'])}接任{n.post(a['to'])}"
    return f"连任本乡镇{n.post(a['to'])}"


on_seat("reserve")(lambda _a, _n: "后备干部")


# --- a scenario's pins and bans ----------------------------------------------------


@words("pin")
def _pin(a: dict, n: Names) -> str:
    spot = f"任{a['township']}/{a['seat']}" if a["seat"] else f"进{a['township']}班子(任一职务)"
    return f"指定{a['cadre']}{spot}" + ("" if a["holds"] else ",未满足")


@words("ban")
def _ban(a: dict, n: Names) -> str:
    spot = a["township"] + (f"/{a['seat']}" if a["seat"] else "")
    return f"排除{a['cadre']}任{spot}" + ("" if a["holds"] else ",未满足")

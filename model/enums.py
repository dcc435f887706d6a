"""Closed vocabularies of the domain, each value with its Chinese label.

Inputs may use either the English value or the Chinese label (staff write
Chinese in spreadsheets); `parse_label` maps both to the enum.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

_ORDERS: dict[type, dict[Any, int]] = {}


def order_of(member: Any) -> int:
    """A member's place in its enum, the table made once per enum: the referee asks
    for ranks and degrees tens of thousands of times a slate."""
    order = _ORDERS.get(type(member))
    if order is None:
        order = _ORDERS[type(member)] = {m: i for i, m in enumerate(type(member))}
    return order[member]


class Labeled(StrEnum):
    """A string enum whose members carry a Chinese label and accept it as input."""

    @property
    def zh(self) -> str:
        return LABELS[self]

    @classmethod
    def parse(cls, raw: Any) -> Any:
        """Map an English value, a Chinese label or an alias to the member; pass others on."""
        if isinstance(raw, cls):
            return raw
        if isinstance(raw, str):
            text = raw.strip()
            for member in cls:
                if text in (member.value, LABELS[member], *ALIASES.get(member, ())):
                    return member
        return raw


class Gender(Labeled):
    male = "male"
    female = "female"


class Education(Labeled):
    """Highest degree; the order of members is the order of rank (初中 lowest)."""

    junior_high = "junior_high"
    senior_high = "senior_high"
    secondary_vocational = "secondary_vocational"
    college = "college"
    bachelor = "bachelor"
    postgraduate = "postgraduate"

    @property
    def level(self) -> int:
        return order_of(self)


class Rank(Labeled):
    """Cadre rank (职级); the order of members is the order of rank."""

    none = "none"
    deputy_section = "deputy_section"
    full_section = "full_section"

    @property
    def level(self) -> int:
        return order_of(self)


class Grade(Labeled):
    """Annual evaluation grade (年度考核等次)."""

    excellent = "excellent"
    competent = "competent"
    basically_competent = "basically_competent"
    incompetent = "incompetent"


class Origin(Labeled):
    """Where a cadre comes from (来源); D5-C2 counts three of these."""

    township_civil_servant = "township_civil_servant"
    township_institution = "township_institution"
    village_cadre = "village_cadre"
    college_graduate_village_official = "college_graduate_village_official"
    county_organ = "county_organ"
    enterprise = "enterprise"


class Occupation(Labeled):
    """What a nominee for party-congress representative mainly does (身份, D2 二3: "归类时要看其
    主要从事的职业和被社会公众接受的身份"). D2-P2 caps the four cadre kinds; D5-P2 floors workers and
    farmers/herders; the front line (基层一线) of D1-P3 is everyone but township-organ cadres (D5 四(一)2)."""

    organ_cadre = "organ_cadre"
    village_cadre = "village_cadre"
    economic_org_cadre = "economic_org_cadre"
    social_org_cadre = "social_org_cadre"
    worker = "worker"
    farmer_herder = "farmer_herder"
    professional = "professional"
    other = "other"


class Post(Labeled):
    """One post (职务); a seat bundles the posts one person holds (兼任)."""

    party_secretary = "party_secretary"
    deputy_secretary = "deputy_secretary"
    deputy_secretary_party = "deputy_secretary_party"
    deputy_secretary_stability = "deputy_secretary_stability"
    township_head = "township_head"
    deputy_head = "deputy_head"
    congress_chair = "congress_chair"
    congress_vice_chair = "congress_vice_chair"
    discipline_secretary = "discipline_secretary"
    discipline_deputy = "discipline_deputy"
    organization_member = "organization_member"
    propaganda_member = "propaganda_member"
    organization_propaganda_member = "organization_propaganda_member"
    armed_forces_head = "armed_forces_head"
    committee_member = "committee_member"


class Strength(Labeled):
    """How binding a rule is (see shared/directives.md): must > generally > prefer."""

    must = "must"
    generally = "generally"
    prefer = "prefer"


class Kinship(Labeled):
    """A relation between two cadres that keeps them off one team (任职回避, N-6)."""

    spouse = "spouse"
    direct_blood = "direct_blood"
    collateral_blood = "collateral_blood"
    in_law = "in_law"


class Exemption(Labeled):
    """A per-cadre decision that lifts a rule for that cadre, written in the scenario with its
    reason (N rules): 降任 lifts N-1, 越级 N-2, 破格 N-3 and N-8, 因工作需要 N-4 and N-7."""

    demotion = "demotion"
    exceptional_promotion = "exceptional_promotion"
    two_step_promotion = "two_step_promotion"
    kept_for_work = "kept_for_work"


class Change(Labeled):
    """What a seat means for its holder (变动), the words of the catalog's table
    (shared/directives.md, section N): the rank compared first, then where the
    cadre sits now. `leaves` (退出) is a sitting member with no seat in any team."""

    continues = "continues"
    reassigned = "reassigned"
    exchanged = "exchanged"
    promoted = "promoted"
    promoted_early = "promoted_early"
    promoted_two_ranks = "promoted_two_ranks"
    demoted = "demoted"
    joins = "joins"
    leaves = "leaves"


class Destination(Labeled):
    """Where a sitting member who leaves the teams goes (去向), filled in by staff."""

    transferred = "transferred"
    rank_only = "rank_only"
    steps_down = "steps_down"
    moved_out = "moved_out"


LABELS: dict[Labeled, str] = {
    Occupation.organ_cadre: "乡镇机关干部",
    Occupation.village_cadre: "社区(村)干部",
    Occupation.economic_org_cadre: "经济组织党员干部",
    Occupation.social_org_cadre: "社会组织党员干部",
    Occupation.worker: "工人",
    Occupation.farmer_herder: "农牧民",
    Occupation.professional: "专业技术人员",
    Occupation.other: "其他",
    Gender.male: "男",
    Gender.female: "女",
    Education.junior_high: "初中",
    Education.senior_high: "高中",
    Education.secondary_vocational: "中专",
    Education.college: "大专",
    Education.bachelor: "本科",
    Education.postgraduate: "研究生",
    Rank.none: "无",
    Rank.deputy_section: "副科",
    Rank.full_section: "正科",
    Grade.excellent: "优秀",
    Grade.competent: "称职",
    Grade.basically_competent: "基本称职",
    Grade.incompetent: "不称职",
    Origin.township_civil_servant: "乡镇公务员",
    Origin.township_institution: "乡镇事业编制人员",
    Origin.village_cadre: "村干部",
    Origin.college_graduate_village_official: "大学生村官",
    Origin.county_organ: "县直机关",
    Origin.enterprise: "企事业单位",
    Post.party_secretary: "党委书记",
    Post.deputy_secretary: "党委副书记",
    Post.deputy_secretary_party: "党委专职副书记",
    Post.deputy_secretary_stability: "专职维稳副书记",
    Post.township_head: "乡镇长",
    Post.deputy_head: "副乡镇长",
    Post.congress_chair: "人大主席",
    Post.congress_vice_chair: "人大专职副主席",
    Post.discipline_secretary: "纪委书记",
    Post.discipline_deputy: "纪委专职副书记",
    Post.organization_member: "组织委员",
    Post.propaganda_member: "宣传委员",
    Post.organization_propaganda_member: "专职组织宣传委员",
    Post.armed_forces_head: "人武部长",
    Post.committee_member: "党委委员",
    Strength.must: "必须",
    Strength.generally: "一般",
    Strength.prefer: "优先",
    Kinship.spouse: "夫妻",
    Kinship.direct_blood: "直系血亲",
    Kinship.collateral_blood: "三代以内旁系血亲",
    Kinship.in_law: "近姻亲",
    Exemption.demotion: "降任",
    Exemption.exceptional_promotion: "破格提拔",
    Exemption.two_step_promotion: "越级提拔",
    Exemption.kept_for_work: "因工作需要",
    Change.continues: "连任",
    Change.reassigned: "改任",
    Change.exchanged: "交流",
    Change.promoted: "提拔",
    Change.promoted_early: "破格提拔",
    Change.promoted_two_ranks: "越级提拔",
    Change.demoted: "降任",
    Change.joins: "进班子",
    Change.leaves: "退出",
    Destination.transferred: "转任",
    Destination.rank_only: "改任职级",
    Destination.steps_down: "退出领导岗位",
    Destination.moved_out: "调出",
}

ALIASES: dict[Labeled, tuple[str, ...]] = {
    Occupation.organ_cadre: ("机关干部", "乡镇机关"),
    Occupation.village_cadre: ("村干部", "社区干部"),
    Occupation.farmer_herder: ("农民", "牧民"),
    Gender.male: ("M", "m", "男性"),
    Gender.female: ("F", "f", "女性"),
    Education.postgraduate: ("硕士", "博士", "研究生学历"),
    Education.bachelor: ("大学", "大学本科"),
    Education.college: ("大学专科", "专科"),
    Rank.none: ("", "无职级"),
    Kinship.spouse: ("配偶", "夫妻关系"),
    Kinship.collateral_blood: ("旁系血亲",),
    Kinship.in_law: ("姻亲",),
    Rank.deputy_section: ("副科级",),
    Rank.full_section: ("正科级",),
    Post.township_head: ("乡长", "镇长"),
    Post.deputy_head: ("副乡长", "副镇长"),
    Post.armed_forces_head: ("武装部长",),
    Origin.township_civil_servant: ("乡镇机关",),
    Exemption.demotion: ("降职",),
    Exemption.exceptional_promotion: ("破格",),
    Exemption.two_step_promotion: ("越级",),
    Exemption.kept_for_work: ("因工作需要留任", "因工作需要调整"),
    Change.continues: ("留任", "stays"),  # the words of earlier results, so their slates still load
    Change.exchanged: ("moved_in",),
    Change.joins: ("新进", "new"),
}

GRADE_POINTS: dict[Grade, int] = {
    Grade.excellent: 3,
    Grade.competent: 2,
    Grade.basically_competent: 1,
    Grade.incompetent: 0,
}
"""Points per evaluation grade, used by the merit score term."""
